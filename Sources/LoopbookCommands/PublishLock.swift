import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An exclusive lock on publishing one project's site (flock on `.loopbook/publish.lock`), so a `build`
/// and a `serve` of the same project never swap `Site/` at the same moment — and so that, while holding it,
/// the folders a killed publish left beside `Site/` can be removed without touching one still in use.
final class PublishLock: Sendable {
    private let descriptor: Int32

    /// Waits (polling, without blocking a thread) until no other publish of the project runs.
    static func acquire(in stateDirectory: URL) async throws -> PublishLock {
        try FileManager.default.createDirectory(at: stateDirectory, withIntermediateDirectories: true)
        let path = stateDirectory.appendingPathComponent("publish.lock").path
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw LockError(path: path, code: errno) }
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            guard code == EWOULDBLOCK || code == EINTR else {
                close(descriptor)
                throw LockError(path: path, code: code)
            }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        return PublishLock(descriptor: descriptor)
    }

    private init(descriptor: Int32) { self.descriptor = descriptor }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }

    /// Removes `<site>.tmp-*` and `<site>.old-*` folders beside `site`: the publisher's staging and
    /// swap-aside folders, left behind only when a publish was killed (call while holding the lock).
    /// Returns the names removed.
    @discardableResult
    func removeLeftovers(besides site: URL) -> [String] {
        let site = site.standardizedFileURL
        let parent = site.deletingLastPathComponent()
        let prefixes = [site.lastPathComponent + ".tmp-", site.lastPathComponent + ".old-"]
        let names = (try? FileManager.default.contentsOfDirectory(atPath: parent.path)) ?? []
        var removed: [String] = []
        for name in names.sorted() where prefixes.contains(where: name.hasPrefix) {
            if (try? FileManager.default.removeItem(at: parent.appendingPathComponent(name))) != nil { removed.append(name) }
        }
        return removed
    }

    struct LockError: Error, CustomStringConvertible {
        var path: String
        var code: Int32
        var description: String { "The publish lock '\(path)' could not be taken: \(String(cString: strerror(code)))." }
    }
}
