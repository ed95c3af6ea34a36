import BookModel
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a rendered site into its folder atomically, rewriting only files whose bytes changed.
///
/// Every folder the publisher writes holds a marker file, `.loopbook-site` (fixed bytes, so builds stay
/// byte-identical): an existing folder is only ever replaced when it is empty or is a Loopbook site, so a
/// mistyped output folder never deletes somebody's files; and the staging and swap-aside folders it
/// leaves when killed (`Site.tmp-<13 base-36 digits>`, `Site.old-…`) are recognised by name and marker.
///
/// The new tree is built in a sibling folder (`Site.tmp-<random>`): unchanged files are hard-linked from
/// the old `Site/` (so they keep their inode, bytes and mtime), changed and new files are written. The
/// two folders are then exchanged in one step (`renameat2(RENAME_EXCHANGE)` on Linux; elsewhere, or if the
/// file system refuses, the old folder is renamed aside first) and the old tree is removed. If nothing
/// changed, `Site/` is not touched at all. Any failure before the swap removes the temporary folder and
/// leaves `Site/` byte-for-byte as it was.
public enum Publisher {
    /// The marker file's name, at the top of every site the publisher writes.
    public static let markerName = ".loopbook-site"

    /// The marker file's bytes (fixed: no dates, no versions).
    public static let markerContents = Array("""
        This folder is a site written by Loopbook: every 'loopbook build' replaces its whole contents.
        Keep your own files elsewhere.

        """.utf8)

    /// The read permissions of a file the publisher writes: those of mode 0o644 that the process's umask
    /// leaves (0o444 with the usual umask 022). A published file lacking one of them (say after `chmod 000`)
    /// is not the file a build writes: it is published again, and `loopbook check` reports it.
    public static let readBits: UInt32 = 0o444 & ~processUmask()

    /// Whether `mode` (from `stat`) has exactly the read permissions the publisher gives a file.
    public static func hasPublishedReadBits(_ mode: UInt32) -> Bool { mode & 0o444 == readBits }

    /// The umask, read from /proc/self/status (calling umask(2) to read it would change it for a moment,
    /// under other threads creating files); 0o022 where that is not available.
    private static func processUmask() -> UInt32 {
        if let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
           let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Umask:") }),
           let value = UInt32(line.dropFirst("Umask:".count).trimmingCharacters(in: .whitespaces), radix: 8) {
            return value
        }
        return 0o022
    }

    /// What an output folder holds, as far as publishing into it is concerned.
    public enum FolderState: Sendable, Equatable {
        /// Nothing is there yet.
        case missing
        /// An empty folder.
        case empty
        /// A site Loopbook wrote: it holds the marker (or, written before the marker existed, an
        /// `index.html` with Loopbook's theme script).
        case site
        /// A folder with files Loopbook did not write.
        case foreign
        /// A file, a symbolic link or anything else that is not a folder.
        case notAFolder
    }

    /// Whether `folder` may be replaced by a published site (`missing`, `empty` and `site` may).
    public static func state(of folder: URL) -> FolderState {
        let path = folder.standardizedFileURL.path.trimmingTrailingSlashes()
        var info = stat()
        guard lstat(path, &info) == 0 else { return .missing }
        guard info.st_mode & S_IFMT == S_IFDIR else { return .notAFolder }
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { return .foreign }
        if names.isEmpty { return .empty }
        if hasMarker(path) { return .site }
        // A site published before the marker existed: its front page carries Loopbook's theme script.
        var page = stat()
        if lstat(path + "/index.html", &page) == 0, page.st_mode & S_IFMT == S_IFREG,
           let data = FileManager.default.contents(atPath: path + "/index.html"),
           String(decoding: data.prefix(4096), as: UTF8.self).contains("localStorage.getItem(\"loopbook-theme\")") {
            return .site
        }
        return .foreign
    }

    /// `files` plus the marker: exactly what `publish` writes (what `check` compares the folder with).
    public static func published(_ files: SiteFiles) -> SiteFiles {
        var files = files
        files[markerName] = markerContents
        return files
    }

    /// Publishes `files` to `siteDirectory` (created if missing, along with its parents), with the marker.
    ///
    /// Refuses (`notWritable`) a folder that holds files but is not a Loopbook site. The report counts the
    /// site's files, not the marker.
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
            if state(of: URL(fileURLWithPath: site)) == .foreign {
                throw .notWritable(path: site, reason: "it holds files that Loopbook did not write (there is no \(markerName) file in it), and publishing would delete them; choose a new or empty folder, or move those files away first")
            }
            siteExists = true
        }

        // First compare, without writing anything: a rebuild that changed nothing (the common case, and in
        // a big book most files of any rebuild) costs one read per file, not a staging tree to build and remove.
        var unchanged: Set<String> = []
        if siteExists {
            // On all cores: a big book's no-op rebuild compares a thousand pages here.
            let same = paths.concurrentMap { path in
                // A kept file is one the page cache vouched the site holds unchanged: not read, only checked
                // to still be a regular file of its size.
                if let size = files.keptSize(path) { return isRegularFile(site + "/" + path, size: size) }
                return sameFile(site + "/" + path, bytes: files[path] ?? [])
            }
            for (path, same) in zip(paths, same) where same { unchanged.insert(path) }
            let wanted = Set(paths + [markerName])
            let removed = existingFiles(in: site).filter { !wanted.contains($0) }.count
            if unchanged.count == paths.count, removed == 0, hasMarker(site) {
                return PublishReport(written: 0, unchanged: paths.count, removed: 0)
            }
        }

        let temporary = parent + "/" + name + ".tmp-" + randomSuffix()
        guard mkdir(temporary, 0o755) == 0 else {
            throw .notWritable(path: site, reason: "the temporary folder '\(temporary)' could not be created (\(errorText()))")
        }
        var report = PublishReport(written: 0, unchanged: 0, removed: 0)
        var markerWritten = false
        do {
            // The marker first: a staging folder left by a killed publish is then recognisable.
            let markerKept = siteExists ? try reuse(site + "/" + markerName, as: temporary + "/" + markerName, ifEqualTo: markerContents) : false
            if !markerKept {
                try write(markerContents, to: temporary + "/" + markerName)
                markerWritten = true
            }
            var createdDirectories: Set<String> = [""]
            for path in paths { try makeParents(of: path, in: temporary, created: &createdDirectories) }
            let unchanged = unchanged
            // The files on all cores: a one-page edit of a big book links a thousand unchanged pages here.
            let staged = paths.concurrentMap { path -> Result<Bool, SiteError> in
                let target = temporary + "/" + path
                do throws(SiteError) {
                    if unchanged.contains(path), link(site + "/" + path, target) == 0 { return .success(true) }
                    guard let bytes = files[path] else {
                        throw SiteError.publishFailed(path: path, reason: "the page could not be read back from the page cache; build again")
                    }
                    if unchanged.contains(path), try reuse(site + "/" + path, as: target, ifEqualTo: bytes, known: true) {
                        return .success(true)
                    }
                    try write(bytes, to: target)
                    return .success(false)
                } catch {
                    return .failure(error)
                }
            }
            for result in staged {
                if try result.get() { report.unchanged += 1 } else { report.written += 1 }
            }
            if siteExists {
                let wanted = Set(paths + [markerName])
                report.removed = existingFiles(in: site).filter { !wanted.contains($0) }.count
            }
        } catch {
            removeTree(temporary)
            throw error
        }

        if siteExists, report.written == 0, report.removed == 0, !markerWritten {
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
        if path == markerName {
            throw .publishFailed(path: path, reason: "'\(path)' is the name of the publisher's own marker file")
        }
    }

    /// True when `folder` holds the marker as a regular file with the marker's bytes.
    private static func hasMarker(_ folder: String) -> Bool {
        var info = stat()
        guard lstat(folder + "/" + markerName, &info) == 0, info.st_mode & S_IFMT == S_IFREG,
              Int(info.st_size) == markerContents.count,
              let data = FileManager.default.contents(atPath: folder + "/" + markerName) else { return false }
        return data.elementsEqual(markerContents)
    }

    /// Removes the staging (`<site>.tmp-…`) and swap-aside (`<site>.old-…`) folders a killed publish left
    /// beside `site`, and nothing else: a name must end in exactly 13 base-36 digits and the folder must
    /// be a real folder that holds the marker, or be empty. Call it while holding the publish lock, so
    /// none of them is in use. Returns the names removed, sorted.
    @discardableResult
    public static func removeLeftovers(besides site: URL) -> [String] {
        let path = site.standardizedFileURL.path.trimmingTrailingSlashes()
        let name = (path as NSString).lastPathComponent
        let parent = (path as NSString).deletingLastPathComponent
        let names = (try? FileManager.default.contentsOfDirectory(atPath: parent)) ?? []
        var removed: [String] = []
        for candidate in names.sorted() where isLeftoverName(candidate, site: name) {
            let folder = parent + "/" + candidate
            let state = state(of: URL(fileURLWithPath: folder))
            guard state == .empty || (state == .site && hasMarker(folder)) else { continue }
            if (try? FileManager.default.removeItem(atPath: folder)) != nil { removed.append(candidate) }
        }
        return removed
    }

    /// True for `<site>.tmp-` or `<site>.old-` followed by exactly 13 characters 0-9 and a-z: the names
    /// of the publisher's staging and swap-aside folders.
    public static func isLeftoverName(_ candidate: String, site: String) -> Bool {
        for prefix in [site + ".tmp-", site + ".old-"] where candidate.hasPrefix(prefix) {
            let suffix = candidate.utf8.dropFirst(prefix.utf8.count)
            return suffix.count == suffixLength
                && suffix.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) }
        }
        return false
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

    /// Whether `path` is a regular file (not a link) of `size` bytes.
    private static func isRegularFile(_ path: String, size: Int) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFREG && Int(info.st_size) == size
            && hasPublishedReadBits(UInt32(info.st_mode))
    }

    /// Whether `path` is a regular file (not a link) holding exactly `bytes`. POSIX calls: Foundation's
    /// reading costs several times more, and a no-op rebuild of a big book compares every page.
    private static func sameFile(_ path: String, bytes: [UInt8]) -> Bool {
        // O_NONBLOCK: a FIFO put where a page was must not block the build (it is then not a regular file).
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG, Int(info.st_size) == bytes.count,
              hasPublishedReadBits(UInt32(info.st_mode)) else { return false }
        // Compared a chunk at a time through one small buffer: no page-sized allocation per file.
        return bytes.withUnsafeBytes { expected in
            withUnsafeTemporaryAllocation(byteCount: 1 << 16, alignment: 16) { buffer in
                var done = 0
                while done < expected.count {
                    let count = read(descriptor, buffer.baseAddress!, min(buffer.count, expected.count - done))
                    if count < 0, errno == EINTR { continue }
                    guard count > 0, memcmp(buffer.baseAddress!, expected.baseAddress! + done, count) == 0 else { return false }
                    done += count
                }
                return true
            }
        }
    }

    /// Hard-links (or copies, keeping the mtime) `old` to `target` if `old` is a regular file holding `bytes`
    /// (`known`: already compared, only its type is checked again).
    private static func reuse(_ old: String, as target: String, ifEqualTo bytes: [UInt8], known: Bool = false) throws(SiteError) -> Bool {
        var info = stat()
        guard lstat(old, &info) == 0, info.st_mode & S_IFMT == S_IFREG, Int(info.st_size) == bytes.count,
              hasPublishedReadBits(UInt32(info.st_mode)), known || sameFile(old, bytes: bytes)
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

    /// The paths (relative to `root`) of everything under it that is not a folder; links are not followed.
    /// readdir(3) with the entry types it reports: Foundation's enumerator costs several times more.
    private static func existingFiles(in root: String) -> [String] {
        var result: [String] = []
        func walk(_ relative: String) {
            let folder = relative.isEmpty ? root : root + "/" + relative
            guard let directory = opendir(folder) else { return }
            defer { closedir(directory) }
            while let entry = readdir(directory) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
                if name == "." || name == ".." { continue }
                let path = relative.isEmpty ? name : relative + "/" + name
                var isFolder = entry.pointee.d_type == UInt8(DT_DIR)
                if entry.pointee.d_type == UInt8(DT_UNKNOWN) {
                    var info = stat()
                    isFolder = lstat(root + "/" + path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
                }
                if isFolder { walk(path) } else { result.append(path) }
            }
        }
        walk("")
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

    /// Removes the folder `path` and everything in it (links themselves, never what they point to): the
    /// files on all cores with unlink(2), then the folders, deepest first. Foundation's removeItem is the
    /// fallback for anything left (a folder that changed meanwhile).
    private static func removeTree(_ path: String) {
        var files: [String] = []
        var folders: [String] = [path]
        var index = 0
        while index < folders.count {
            let folder = folders[index]
            index += 1
            guard let directory = opendir(folder) else { continue }
            while let entry = readdir(directory) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
                if name == "." || name == ".." { continue }
                var isFolder = entry.pointee.d_type == UInt8(DT_DIR)
                if entry.pointee.d_type == UInt8(DT_UNKNOWN) {
                    var info = stat()
                    isFolder = lstat(folder + "/" + name, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
                }
                if isFolder { folders.append(folder + "/" + name) } else { files.append(folder + "/" + name) }
            }
            closedir(directory)
        }
        _ = files.concurrentMap { unlink($0) }
        for folder in folders.reversed() { rmdir(folder) }
        if access(path, F_OK) == 0 { try? FileManager.default.removeItem(atPath: path) }
    }

    /// The length of `randomSuffix()`: a UInt64 in base 36 takes at most 13 digits.
    static let suffixLength = 13

    /// A random UInt64 in base 36, zero-padded to `suffixLength` digits (so leftovers are recognisable).
    private static func randomSuffix() -> String {
        var generator = SystemRandomNumberGenerator()
        let digits = String(generator.next() as UInt64, radix: 36)
        return String(repeating: "0", count: max(0, suffixLength - digits.count)) + digits
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
