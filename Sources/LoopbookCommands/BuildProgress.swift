import Foundation
import Notebook

/// Turns the notebook's progress events into numbered lines on stderr:
/// `[3/11] 03-data  ran because its steps changed (0.62 s)`.
final class BuildProgress: @unchecked Sendable {
    private let console: Console
    private let lock = NSLock()
    private var total = 0
    private var done = 0
    private var reasons: [String: String] = [:]

    init(console: Console) { self.console = console }

    func handle(_ event: ProgressEvent) {
        let line: String? = lock.withLock {
            switch event {
            case let .loaded(chapters):
                total = chapters
                return nil
            case let .started(chapter, reason):
                reasons[chapter] = reason
                return nil
            case let .cached(chapter):
                return next(chapter, "cached")
            case let .finished(chapter, failed, seconds):
                let time = Self.seconds(seconds)
                if failed { return next(chapter, "failed (\(time))") }
                return next(chapter, "ran because \(reasons[chapter] ?? "it was not cached") (\(time))")
            case let .skipped(chapter, reason):
                return next(chapter, "skipped because \(reason)")
            }
        }
        if let line { console.progress(line) }
    }

    private func next(_ chapter: String, _ text: String) -> String {
        done += 1
        let width = String(Swift.max(total, done)).count
        let number = String(repeating: " ", count: Swift.max(0, width - String(done).count)) + String(done)
        return "[\(number)/\(Swift.max(total, done))] \(chapter)  \(text)"
    }

    /// "0.62 s", for the terminal only (never for pages).
    static func seconds(_ value: Double) -> String {
        String(format: "%.2f s", value)
    }
}
