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
    private let stored = Mutex(false)
    /// The published site, and what `recordPublished` last recorded of it (see `publishedDigest(of:)`).
    private let site: String?
    private let ledger: Ledger?

    private let ledgerFile: String?

    /// A store in `directory`; with `site` (the output folder) and `record` (a file outside the cache, which
    /// `clean --cache` empties while a build may still be publishing), it also vouches for the pages it
    /// recorded there (`recordPublished`, `publishedDigest(of:)`).
    init(directory: URL, site: URL? = nil, record: URL? = nil) {
        self.directory = directory
        salt = Array(("page store 1 " + Self.binaryIdentity()).utf8)
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let site = record == nil ? nil : site.map { $0.standardizedFileURL.path }
        self.site = site
        ledgerFile = record?.path
        if let site, let record { ledger = Ledger(file: record.path, site: site) } else { ledger = nil }
    }

    func load(_ key: String) -> [UInt8]? { entry(key, upTo: nil) }

    func loadPrefix(_ key: String, count: Int) -> [UInt8]? { entry(key, upTo: count) }

    private func entry(_ key: String, upTo limit: Int?) -> [UInt8]? {
        let name = fileName(key)
        used.withLock { _ = $0.insert(name) }
        // POSIX reads: a no-op build of a big book reads a thousand of these, and Foundation's costs more.
        let descriptor = open(directory.path + "/" + name, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0, info.st_size < 1 << 30 else { return nil }
        var complete = true
        let bytes = [UInt8](unsafeUninitializedCapacity: min(Int(info.st_size), limit ?? Int.max)) { buffer, initialized in
            var done = 0
            while done < buffer.count {
                let count = read(descriptor, buffer.baseAddress! + done, buffer.count - done)
                if count < 0, errno == EINTR { continue }
                guard count > 0 else { complete = false; break }
                done += count
            }
            initialized = done
        }
        return complete ? bytes : nil
    }

    func store(_ bytes: [UInt8], for key: String) {
        let name = fileName(key)
        used.withLock { _ = $0.insert(name) }
        stored.withLock { $0 = true }
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
        // A build that stored nothing used entries that all survived the last prune, and left none behind
        // (a page that goes away changes every page's key, so its build stores them all): nothing to list.
        guard stored.withLock({ $0 }) else { return }
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

    // MARK: - What the published site holds

    func publishedDigest(of path: String) -> String? {
        guard let site, let entry = ledger?.entries[path] else { return nil }
        var info = stat()
        guard lstat(site + "/" + path, &info) == 0, info.st_mode & S_IFMT == S_IFREG,
              Ledger.Identity(info) == entry.identity,
              // Changed in the same clock tick as the record was written, a file could change again unseen
              // (git's "racily clean" index entries): only a file older than the record is vouched for.
              entry.identity.changed < ledger!.written else { return nil }
        return entry.digest
    }

    /// Records the pages `files` knows the digest of as the site now holds them (call right after
    /// publishing `files` to the site). Best effort: without a record, the next build reads the pages.
    func recordPublished(_ files: SiteFiles) {
        guard let site, let file = ledgerFile else { return }
        var text = "\(Ledger.magic) \(site)\n"
        for (path, digest) in files.digests.sorted(by: { $0.key < $1.key }) {
            var info = stat()
            guard lstat(site + "/" + path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { continue }
            text += "\(digest) \(Ledger.Identity(info).text) \(path)\n"
        }
        let temporary = file + ".tmp-\(UInt64.random(in: 0...UInt64.max))"
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: temporary))
            if rename(temporary, file) != 0 { unlink(temporary) }
        } catch {
            unlink(temporary)
        }
    }

    /// `.loopbook/published-site`: `loopbook published site 1 <site folder>`, then one line per page:
    /// `<SHA-256> <device> <inode> <size> <modified ns> <changed ns> <path>`. Its own modification time says
    /// when it was written.
    struct Ledger {
        static let magic = "loopbook published site 1"

        struct Identity: Equatable {
            var device: UInt64, inode: UInt64, size: Int64, modified: Int64, changed: Int64
            init(_ info: stat) {
                device = UInt64(info.st_dev); inode = UInt64(info.st_ino); size = Int64(info.st_size)
                modified = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
                changed = Int64(info.st_ctim.tv_sec) * 1_000_000_000 + Int64(info.st_ctim.tv_nsec)
            }
            init(device: UInt64, inode: UInt64, size: Int64, modified: Int64, changed: Int64) {
                self.device = device; self.inode = inode; self.size = size; self.modified = modified; self.changed = changed
            }
            var text: String { "\(device) \(inode) \(size) \(modified) \(changed)" }
        }

        var entries: [String: (digest: String, identity: Identity)] = [:]
        /// When the record was written (its modification time, in nanoseconds).
        var written: Int64

        /// The record in `file` if it is one of the site folder `site`; nil otherwise.
        init?(file: String, site: String) {
            var info = stat()
            guard stat(file, &info) == 0, info.st_size < 1 << 26,
                  let data = FileManager.default.contents(atPath: file) else { return nil }
            written = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
            // Bytes, not Substrings: a big book's record has a thousand lines, read on every build.
            let bytes = [UInt8](data)
            var lines = bytes.split(separator: 0x0A)[...]
            guard let first = lines.popFirst(), first.elementsEqual("\(Self.magic) \(site)".utf8) else { return nil }
            entries.reserveCapacity(lines.count)
            for line in lines {
                var numbers: [Int64] = []
                var index = line.startIndex + 65
                guard line.count > 66, line[line.startIndex + 64] == 0x20 else { return nil }
                while numbers.count < 5 {
                    var value: Int64 = 0, digits = 0
                    while index < line.endIndex, line[index] != 0x20 {
                        let digit = line[index] &- 0x30
                        guard digit < 10, digits < 19 else { return nil }
                        value = value * 10 + Int64(digit); digits += 1; index += 1
                    }
                    guard digits > 0, index < line.endIndex else { return nil }
                    numbers.append(value)
                    index += 1
                }
                guard index < line.endIndex else { return nil }
                let identity = Identity(device: UInt64(numbers[0]), inode: UInt64(numbers[1]), size: numbers[2],
                                        modified: numbers[3], changed: numbers[4])
                entries[String(decoding: line[index...], as: UTF8.self)] =
                    (String(decoding: line[line.startIndex..<line.startIndex + 64], as: UTF8.self), identity)
            }
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
