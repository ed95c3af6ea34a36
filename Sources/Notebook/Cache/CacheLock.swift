import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An exclusive lock on a cache folder (flock on `<cache>/lock`), so two builds of one project (say the
/// dev server and the command line) take turns instead of cleaning up each other's scratch folders.
final class CacheLock: Sendable {
    private let descriptor: Int32

    /// Waits (polling, without blocking a thread) until the lock is free.
    static func acquire(in directory: URL) async throws -> CacheLock {
        let path = directory.appendingPathComponent("lock").path
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw NotebookError.io(path: path, message: "the cache lock could not be opened: \(String(cString: strerror(errno))).")
        }
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else {
                close(descriptor)
                throw NotebookError.io(path: path, message: "the cache lock could not be taken: \(String(cString: strerror(errno))).")
            }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        return CacheLock(descriptor: descriptor)
    }

    private init(descriptor: Int32) { self.descriptor = descriptor }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
