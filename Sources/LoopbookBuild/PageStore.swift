import Crypto
import Foundation
import SiteKit
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The page cache of `build` and `serve` on disk: `<cache>/pages/<name>`, one file per rendered chapter page.
///
/// A file's name is a SHA-256 of the page's key (everything the page is made from, see `PageCache`) and of
/// the identity of the running `loopbook` binary (device, inode, size, modification time), so a page
/// rendered by another build of the tool is never reused. Files are written under a temporary name and
/// renamed into place, so a reader sees a whole entry or none; `prune()` removes every entry the last
/// build did not use, which keeps the folder at one book's pages. `check` renders without it.
final class PageStore: PageCache {
    let directory: URL
    private let salt: [UInt8]
    private let used = Mutex<Set<String>>([])

    init(directory: URL) {
        self.directory = directory
        salt = Array(("page store 1 " + Self.binaryIdentity()).utf8)
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    func load(_ key: String) -> [UInt8]? {
        let name = fileName(key)
        used.withLock { _ = $0.insert(name) }
        // POSIX reads: a no-op build of a big book reads a thousand of these, and Foundation's costs more.
        let descriptor = open(directory.path + "/" + name, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0, info.st_size < 1 << 30 else { return nil }
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size))
        var done = 0
        while done < bytes.count {
            let count = bytes.withUnsafeMutableBytes { read(descriptor, $0.baseAddress! + done, $0.count - done) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { return nil }
            done += count
        }
        return bytes
    }

    func store(_ bytes: [UInt8], for key: String) {
        let name = fileName(key)
        used.withLock { _ = $0.insert(name) }
        let temporary = directory.appendingPathComponent(".tmp-\(name)-\(UInt64.random(in: 0...UInt64.max))")
        do {
            try Data(bytes).write(to: temporary)
            if rename(temporary.path, directory.appendingPathComponent(name).path) != 0 {
                try? FileManager.default.removeItem(at: temporary)
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
        }
    }

    /// Removes the entries this store's builds neither read nor wrote (pages of chapters since edited,
    /// renamed or removed), and temporary files older than a minute (left by a build that was killed).
    func prune() {
        let keep = used.withLock { $0 }
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return }
        for name in names where !keep.contains(name) {
            let url = directory.appendingPathComponent(name)
            if name.hasPrefix(".tmp-") {
                let modified = (try? url.resourceValues(forKeys: [.contentModificationDateKey]))?.contentModificationDate
                if let modified, Date().timeIntervalSince(modified) < 60 { continue }
            }
            try? FileManager.default.removeItem(at: url)
        }
    }

    private func fileName(_ key: String) -> String {
        var hasher = SHA256()
        hasher.update(data: salt)
        hasher.update(data: Array(key.utf8))
        let hex = Array("0123456789abcdef".utf8)
        return String(decoding: hasher.finalize().flatMap { [hex[Int($0 >> 4)], hex[Int($0 & 0xF)]] }, as: UTF8.self)
    }

    /// The running binary's device, inode, size and modification time (nanoseconds), e.g. "2049 1234 52428800 1764…".
    static func binaryIdentity() -> String {
        var info = stat()
        guard stat("/proc/self/exe", &info) == 0 else { return "unknown \(ProcessInfo.processInfo.processIdentifier)" }
        return "\(info.st_dev) \(info.st_ino) \(info.st_size) \(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
    }
}
