import Foundation

/// Notices changes under a few folders by polling modification times and sizes (no inotify: polling is
/// what mdBook settled on, and it works the same everywhere).
public struct SourceWatcher: Sendable {
    /// A snapshot: relative path → (size, modification time in nanoseconds).
    public typealias Snapshot = [String: FileStamp]

    public struct FileStamp: Sendable, Equatable {
        public var size: Int64
        public var modified: Int64
    }

    public var folders: [URL]

    public init(folders: [URL]) {
        self.folders = folders
    }

    /// The current stamps of every regular file under the folders (hidden files are skipped).
    public func snapshot() -> Snapshot {
        var result: Snapshot = [:]
        for folder in folders {
            guard let enumerator = FileManager.default.enumerator(atPath: folder.path) else { continue }
            while let relative = enumerator.nextObject() as? String {
                if relative.split(separator: "/").contains(where: { $0.hasPrefix(".") }) { continue }
                let path = folder.path + "/" + relative
                var info = stat()
                guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { continue }
                #if os(Linux)
                let modified = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
                #else
                let modified = Int64(info.st_mtimespec.tv_sec) * 1_000_000_000 + Int64(info.st_mtimespec.tv_nsec)
                #endif
                result[path] = FileStamp(size: Int64(info.st_size), modified: modified)
            }
        }
        return result
    }

    /// Whether every watched folder that exists can be opened now. Out of file descriptors (EMFILE), a
    /// snapshot would see empty folders, and the watcher would take every file for removed; such a
    /// poll is skipped instead.
    public func foldersReadable() -> Bool {
        for folder in folders {
            guard let directory = opendir(folder.path) else {
                if errno == EMFILE || errno == ENFILE || errno == ENOMEM { return false }
                continue
            }
            closedir(directory)
        }
        return true
    }

    /// A snapshot, or nil when the folders cannot be read right now (see ``foldersReadable()``).
    func readableSnapshot() -> Snapshot? {
        guard foldersReadable() else { return nil }
        let result = snapshot()
        return foldersReadable() ? result : nil
    }

    /// The paths that were added, removed or changed between two snapshots, sorted.
    public static func changes(from old: Snapshot, to new: Snapshot) -> [String] {
        Set(old.keys).union(new.keys).filter { old[$0] != new[$0] }.sorted()
    }

    /// Waits until something changed and then stayed unchanged for `debounce`; returns the changed paths.
    /// Returns nil when the task is cancelled or `until` holds (it is asked at every poll).
    public func nextChange(after baseline: inout Snapshot, interval: Duration = .milliseconds(150),
                           debounce: Duration = .milliseconds(200),
                           until stop: @Sendable () -> Bool = { false }) async -> [String]? {
        while !Task.isCancelled, !stop() {
            do { try await Task.sleep(for: interval) } catch { return nil }
            guard var current = readableSnapshot(), current != baseline else { continue }
            // Settle: editors save in several writes; wait until the files stop changing.
            while true {
                do { try await Task.sleep(for: debounce) } catch { return nil }
                guard let again = readableSnapshot() else { continue }
                if again == current { break }
                current = again
            }
            let changed = Self.changes(from: baseline, to: current)
            baseline = current
            return changed
        }
        return nil
    }
}
