import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An exclusive advisory lock on a file (`flock`), held until the value is released.
///
/// The one lock type for everything two Loopbook processes share: the cache folder (`<cache>/lock`, so a
/// `serve` and a `build` of one project take turns instead of cleaning up each other's scratch folders)
/// and publishing (`.loopbook/publish.lock`, so two builds never swap `Site/` at the same moment). The
/// descriptor is close-on-exec, so chapter programs never inherit it.
public final class FileLock: Sendable {
    private let descriptor: Int32

    /// Waits, polling without blocking a thread, until the lock at `path` is free; creates the file and
    /// its folder when missing. `purpose` names the lock in errors ("cache lock").
    ///
    /// Throws `NotebookError.io` when the file cannot be opened or locked, and `CancellationError` when
    /// the task is cancelled while waiting.
    public static func acquire(_ path: URL, purpose: String) async throws -> FileLock {
        let folder = path.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw NotebookError.io(path: folder.path, message: "the folder for the \(purpose) could not be created: \(error.localizedDescription).")
        }
        let descriptor = open(path.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw NotebookError.io(path: path.path, message: "the \(purpose) could not be opened: \(String(cString: strerror(errno))).")
        }
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            guard code == EWOULDBLOCK || code == EINTR else {
                close(descriptor)
                throw NotebookError.io(path: path.path, message: "the \(purpose) could not be taken: \(String(cString: strerror(code))).")
            }
            do {
                try await Task.sleep(nanoseconds: 20_000_000)
            } catch {
                close(descriptor)
                throw error
            }
        }
        return FileLock(descriptor: descriptor)
    }

    private init(descriptor: Int32) { self.descriptor = descriptor }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
