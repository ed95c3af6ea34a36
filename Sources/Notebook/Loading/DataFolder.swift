import BookModel
import Crypto
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Checks that a path in the content folder is something the build can read without blocking: a regular
/// file (or a link to one), not a pipe, socket, device or folder.
enum FileCheck {
    /// What `mode` (from `stat`) is, for messages: "a named pipe (FIFO)", "a socket", …; nil for a regular file.
    static func kind(of mode: mode_t) -> String? {
        switch mode & S_IFMT {
        case S_IFREG: nil
        case S_IFDIR: "a folder"
        case S_IFIFO: "a named pipe (FIFO)"
        case S_IFSOCK: "a socket"
        case S_IFCHR: "a character device"
        case S_IFBLK: "a block device"
        case S_IFLNK: "a symbolic link"
        default: "not a regular file"
        }
    }

    /// Throws unless `url` is a regular file (following links) of at most `maxSize` bytes; returns its size.
    ///
    /// Opening a named pipe for reading waits for a writer that never comes, so this never opens anything.
    @discardableResult
    static func readable(_ url: URL, display: String, within root: URL? = nil, maxSize: Int64) throws -> Int64 {
        var info = stat()
        guard lstat(url.path, &info) == 0 else {
            throw NotebookError.io(path: display, message: "the file could not be read: \(String(cString: strerror(errno))).")
        }
        if info.st_mode & S_IFMT == S_IFLNK {
            let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: url.path)) ?? "?"
            guard stat(url.path, &info) == 0 else {
                throw NotebookError.unusableFile(
                    path: display, message: "it is a symbolic link to '\(target)', which does not exist; point it at a file or remove it.")
            }
            if let root, !isInside(url, root) {
                throw NotebookError.unusableFile(
                    path: display,
                    message: "it is a symbolic link to '\(target)', outside the content folder; a book may only use its own files, so copy the file in instead of linking to it.")
            }
        }
        if let kind = kind(of: info.st_mode) {
            throw NotebookError.unusableFile(path: display, message: "it is \(kind), not a regular file, and the build cannot read it; replace it with a regular file or remove it.")
        }
        let size = Int64(info.st_size)
        if size > maxSize {
            throw NotebookError.unusableFile(
                path: display,
                message: "it is \(ByteSize.format(size)), more than the \(ByteSize.format(maxSize)) a file here may have; make it smaller or move it out of the content folder.")
        }
        return size
    }

    /// Whether `url`, with every link resolved, lies inside `root` (also resolved).
    static func isInside(_ url: URL, _ root: URL) -> Bool {
        let resolved = url.resolvingSymlinksInPath().standardizedFileURL.path
        let rootPath = root.resolvingSymlinksInPath().standardizedFileURL.path
        return resolved == rootPath || resolved.hasPrefix(rootPath.hasSuffix("/") ? rootPath : rootPath + "/")
    }
}

/// The book's `Content/data/` folder: the regular files in it, checked before anything runs, hashed for
/// the cache key and copied into each chapter program's working folder.
///
/// Every entry must be a regular file or a folder, or a link to one inside the content folder: a named
/// pipe would block the copy forever, a device or socket cannot be copied, and a link leading outside
/// the book would copy files the book does not hold. Each chapter gets its own copy, so the folder may
/// hold at most `maxSize` bytes (a huge or sparse file would otherwise fill the disk once per chapter).
struct DataFolder: Sendable {
    /// The files, as paths relative to the folder ("sub/table.csv"), in sorted order.
    var files: [(name: String, url: URL)]
    /// The folders, relative, in sorted order (parents before children).
    var folders: [String]
    var totalSize: Int64

    /// What all of data/ may hold.
    static let maxSize: Int64 = 2_000_000_000

    /// Scans `directory` (shown as `display`, e.g. "Content/data"), which lies inside `contentDirectory`.
    init(_ directory: URL, display: String, contentDirectory: URL) throws {
        files = []
        folders = []
        totalSize = 0
        var visited: Set<String> = [directory.resolvingSymlinksInPath().standardizedFileURL.path]
        try scan(directory, relative: "", display: display, content: contentDirectory, visited: &visited)
        files.sort { $0.name < $1.name }
        folders.sort()
        if totalSize > Self.maxSize {
            let largest = files.map { ($0.name, (try? FileCheck.readable($0.url, display: "", maxSize: .max)) ?? 0) }
                .max { $0.1 < $1.1 }
            let detail = largest.map { "; the largest file is \(display)/\($0.0), \(ByteSize.format($0.1))" } ?? ""
            throw NotebookError.unusableFile(
                path: display,
                message: "it holds \(ByteSize.format(totalSize)) of files\(detail); each chapter program gets its own copy of data/, so it may hold at most \(ByteSize.format(Self.maxSize)); keep large data outside the book and make a smaller sample.")
        }
    }

    private mutating func scan(_ directory: URL, relative: String, display: String, content: URL,
                               visited: inout Set<String>) throws {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        } catch {
            throw NotebookError.io(path: display, message: "the folder could not be listed: \(error.localizedDescription)")
        }
        for name in names {
            let url = directory.appendingPathComponent(name)
            let shown = "\(display)/\(name)"
            let path = relative.isEmpty ? name : "\(relative)/\(name)"
            var info = stat()
            let isLink = lstat(url.path, &info) == 0 && info.st_mode & S_IFMT == S_IFLNK
            if stat(url.path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR {
                if isLink, !FileCheck.isInside(url, content) {
                    let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: url.path)) ?? "?"
                    throw NotebookError.unusableFile(
                        path: shown,
                        message: "it is a symbolic link to '\(target)', outside the content folder; a book may only use its own files, so copy the folder in instead of linking to it.")
                }
                let resolved = url.resolvingSymlinksInPath().standardizedFileURL.path
                guard visited.insert(resolved).inserted else {
                    throw NotebookError.unusableFile(
                        path: shown, message: "it is a link to a folder that contains it, so data/ would never end; remove the link.")
                }
                folders.append(path)
                try scan(url, relative: path, display: shown, content: content, visited: &visited)
                visited.remove(resolved)
                continue
            }
            totalSize += try FileCheck.readable(url, display: shown, within: content, maxSize: Self.maxSize)
            files.append((path, url))
        }
    }

    /// SHA-256 over the relative paths and contents of every file, in sorted order.
    func hash() throws -> String {
        var hasher = SHA256()
        for (name, url) in files {
            hasher.update(data: Data("\(name)\n".utf8))
            hasher.update(data: try Data(contentsOf: url, options: .mappedIfSafe))
        }
        return hasher.finalize().hex
    }

    /// Copies the folders and files (links resolved) into `destination`, which must not exist yet.
    func copy(to destination: URL) throws {
        let manager = FileManager.default
        try manager.createDirectory(at: destination, withIntermediateDirectories: true)
        for folder in folders {
            try manager.createDirectory(at: destination.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
        for (name, url) in files {
            try Self.copyFile(url, to: destination.appendingPathComponent(name))
        }
    }

    /// Copies one regular file; a file replaced by a pipe or device since the scan is refused, not waited on
    /// (it is opened without blocking and checked before reading).
    static func copyFile(_ source: URL, to destination: URL) throws {
        let input = open(source.path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard input >= 0 else { throw CopyError(path: source.path, code: errno) }
        defer { close(input) }
        var info = stat()
        guard fstat(input, &info) == 0 else { throw CopyError(path: source.path, code: errno) }
        guard info.st_mode & S_IFMT == S_IFREG else { throw CopyError(path: source.path, code: EINVAL) }
        _ = fcntl(input, F_SETFL, 0)
        let output = open(destination.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard output >= 0 else { throw CopyError(path: destination.path, code: errno) }
        defer { close(output) }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 8)
        defer { buffer.deallocate() }
        while true {
            let count = read(input, buffer.baseAddress, buffer.count)
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else { throw CopyError(path: source.path, code: errno) }
            if count == 0 { return }
            var written = 0
            while written < count {
                let result = write(output, buffer.baseAddress! + written, count - written)
                if result < 0, errno == EINTR { continue }
                guard result > 0 else { throw CopyError(path: destination.path, code: errno) }
                written += result
            }
        }
    }

    /// A data file could not be copied.
    struct CopyError: Error, CustomStringConvertible {
        var path: String
        var code: Int32
        var description: String { "\(path) could not be copied: \(String(cString: strerror(code)))." }
    }
}
