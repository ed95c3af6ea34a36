import BookModel
import Foundation

/// Fresh names for the scratch work of compiling and running chapters, and the time it takes.
enum Scratch {
    /// 32 random hex digits: keeps scratch directories apart and marks a run's record lines.
    static func nonce() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<2).map { _ in String(generator.next() as UInt64, radix: 16) }.joined()
    }

    /// A new directory `<cacheDirectory>/<area>/<slug>-<nonce>` for one piece of `chapter`'s scratch work
    /// (not created here; the build removes each area when it ends).
    static func directory(_ area: String, in cacheDirectory: URL, for chapter: Chapter) -> URL {
        cacheDirectory.appendingPathComponent(area).appendingPathComponent("\(chapter.slug)-\(nonce())")
    }

    /// The seconds since `start`, a `DispatchTime` uptime in nanoseconds.
    static func seconds(since start: UInt64) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }
}
