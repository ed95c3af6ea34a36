import BookModel
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a rendered site into its folder atomically, rewriting only files whose bytes changed.
///
/// The new tree is built in a sibling folder (`Site.tmp-<random>`): unchanged files are hard-linked from
/// the old `Site/` (so they keep their inode, bytes and mtime), changed and new files are written. The
/// two folders are then exchanged in one step (`renameat2(RENAME_EXCHANGE)` on Linux; elsewhere, or if the
/// file system refuses, the old folder is renamed aside first) and the old tree is removed. If nothing
/// changed, `Site/` is not touched at all. Any failure before the swap removes the temporary folder and
/// leaves `Site/` byte-for-byte as it was.
public enum Publisher {
    /// Publishes `files` to `siteDirectory` (created if missing, along with its parents).
    public static func publish(_ files: SiteFiles, to siteDirectory: URL) throws(SiteError) -> PublishReport {
        let site = siteDirectory.standardizedFileURL.path.trimmingTrailingSlashes()
        let name = (site as NSString).lastPathComponent
        let parent = (site as NSString).deletingLastPathComponent
        let paths = files.paths
        for path in paths { try validate(path) }

        do {
            try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        } catch {
            throw .notWritable(path: site, reason: "its parent folder '\(parent)' could not be created (\(error.localizedDescription))")
        }
        if let reason = notWritableReason(parent) {
            throw .notWritable(path: site, reason: "its parent folder '\(parent)' \(reason)")
        }
        var siteExists = false
        var info = stat()
        if lstat(site, &info) == 0 {
            guard info.st_mode & S_IFMT == S_IFDIR else {
                throw .notWritable(path: site, reason: "it exists and is not a folder")
            }
            if let reason = notWritableReason(site) { throw .notWritable(path: site, reason: "the folder \(reason)") }
            siteExists = true
        }

        let temporary = parent + "/" + name + ".tmp-" + randomSuffix()
        guard mkdir(temporary, 0o755) == 0 else {
            throw .notWritable(path: site, reason: "the temporary folder '\(temporary)' could not be created (\(errorText()))")
        }
        var report = PublishReport(written: 0, unchanged: 0, removed: 0)
        do {
            var createdDirectories: Set<String> = [""]
            for path in paths {
                let bytes = files[path] ?? []
                try makeParents(of: path, in: temporary, created: &createdDirectories)
                let target = temporary + "/" + path
                if siteExists, try reuse(site + "/" + path, as: target, ifEqualTo: bytes) {
                    report.unchanged += 1
                } else {
                    try write(bytes, to: target)
                    report.written += 1
                }
            }
            if siteExists {
                let wanted = Set(paths)
                report.removed = existingFiles(in: site).filter { !wanted.contains($0) }.count
            }
        } catch {
            removeTree(temporary)
            throw error
        }

        if siteExists, report.written == 0, report.removed == 0 {
            removeTree(temporary)
            return report
        }
        do {
            try swap(temporary, into: site, exists: siteExists, parent: parent, name: name)
        } catch {
            removeTree(temporary)
            throw error
        }
        return report
    }

    // MARK: - Steps

    private static func validate(_ path: String) throws(SiteError) {
        let components = path.split(separator: "/", omittingEmptySubsequences: false)
        if path.isEmpty || path.hasPrefix("/") || components.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) {
            throw .publishFailed(path: path, reason: "'\(path)' is not a plain relative path inside the site")
        }
    }

    /// Why `path` cannot be written to, or nil. Honours the owner's write bit even for root, so a folder
    /// made read-only on purpose is respected.
    private static func notWritableReason(_ path: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0 else { return "cannot be read (\(errorText()))" }
        let mode = String(info.st_mode & 0o777, radix: 8)
        if access(path, W_OK) != 0 || info.st_mode & S_IWUSR == 0 {
            return "is read-only (mode \(mode)); make it writable (chmod u+w) or choose another output folder"
        }
        return nil
    }

    private static func makeParents(of path: String, in root: String, created: inout Set<String>) throws(SiteError) {
        let components = path.split(separator: "/").dropLast()
        var relative = ""
        for component in components {
            relative += relative.isEmpty ? String(component) : "/" + component
            guard !created.contains(relative) else { continue }
            if mkdir(root + "/" + relative, 0o755) != 0 {
                throw .publishFailed(path: relative, reason: "the folder '\(relative)' could not be created (\(errorText()))")
            }
            created.insert(relative)
        }
    }

    /// Hard-links (or copies, keeping the mtime) `old` to `target` if `old` is a regular file holding `bytes`.
    private static func reuse(_ old: String, as target: String, ifEqualTo bytes: [UInt8]) throws(SiteError) -> Bool {
        var info = stat()
        guard lstat(old, &info) == 0, info.st_mode & S_IFMT == S_IFREG, Int(info.st_size) == bytes.count,
              let existing = FileManager.default.contents(atPath: old), existing.elementsEqual(bytes)
        else { return false }
        if link(old, target) == 0 { return true }
        // No hard links here (another file system, or not permitted): copy, keeping the modification time.
        try write(bytes, to: target)
        #if os(Linux)
        var times = [info.st_atim, info.st_mtim]
        #else
        var times = [info.st_atimespec, info.st_mtimespec]
        #endif
        _ = utimensat(AT_FDCWD, target, &times, 0)
        return true
    }

    private static func write(_ bytes: [UInt8], to path: String) throws(SiteError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw .publishFailed(path: path, reason: "the file could not be created (\(errorText()))")
        }
        defer { close(descriptor) }
        var offset = 0
        while offset < bytes.count {
            let count = bytes[offset...].withUnsafeBytes { systemWrite(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .publishFailed(path: path, reason: "writing failed (\(errorText()))")
            }
            offset += count
        }
    }

    /// Every non-folder entry under `root`, relative to it.
    private static func existingFiles(in root: String) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: root) else { return [] }
        var result: [String] = []
        while let relative = enumerator.nextObject() as? String {
            var info = stat()
            if lstat(root + "/" + relative, &info) == 0, info.st_mode & S_IFMT != S_IFDIR { result.append(relative) }
        }
        return result
    }

    private static func swap(_ temporary: String, into site: String, exists: Bool, parent: String, name: String) throws(SiteError) {
        guard exists else {
            if rename(temporary, site) != 0 {
                throw .publishFailed(path: site, reason: "the new site could not be moved into place (\(errorText()))")
            }
            return
        }
        if exchange(temporary, site) {
            removeTree(temporary)  // now holds the old site
            return
        }
        // Fallback: move the old site aside, move the new one in, remove the old one.
        let aside = parent + "/" + name + ".old-" + randomSuffix()
        guard rename(site, aside) == 0 else {
            throw .publishFailed(path: site, reason: "the old site could not be moved aside (\(errorText()))")
        }
        guard rename(temporary, site) == 0 else {
            let reason = errorText()
            _ = rename(aside, site)
            throw .publishFailed(path: site, reason: "the new site could not be moved into place (\(reason))")
        }
        removeTree(aside)
    }

    /// Atomically exchanges two paths with `renameat2(..., RENAME_EXCHANGE)`; false where unsupported.
    private static func exchange(_ first: String, _ second: String) -> Bool {
        #if os(Linux)
        typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32
        guard let symbol = renameat2Symbol else { return false }
        let function = unsafeBitCast(symbol, to: RenameAt2.self)
        let renameExchange: UInt32 = 1 << 1
        return function(AT_FDCWD, first, AT_FDCWD, second, renameExchange) == 0
        #else
        return false
        #endif
    }

    #if os(Linux)
    // glibc ≥ 2.28 has renameat2, but Swift's Glibc module does not expose it; look it up at run time.
    nonisolated(unsafe) private static let renameat2Symbol: UnsafeMutableRawPointer? = dlsym(dlopen(nil, RTLD_NOW), "renameat2")
    #endif

    private static func removeTree(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }

    private static func randomSuffix() -> String {
        var generator = SystemRandomNumberGenerator()
        return String(generator.next() as UInt64, radix: 36)
    }

    private static func errorText() -> String {
        String(cString: strerror(errno))
    }
}

#if canImport(Glibc)
private let systemWrite = Glibc.write
#else
private let systemWrite = Darwin.write
#endif

extension String {
    fileprivate func trimmingTrailingSlashes() -> String {
        var result = self
        while result.count > 1, result.hasSuffix("/") { result.removeLast() }
        return result
    }
}
