import BookModel
import Synchronization

/// The files of a rendered site: relative path → bytes, iterated in sorted path order.
///
/// Paths use `/` and never start with `/` or contain `..`, e.g. `index.html`, `03-data.html`,
/// `assets/style.css`, `files/03-data/sample.csv`.
///
/// A file may be *kept*: the renderer knows the published site already holds exactly its bytes (see
/// `PageCache.publishedDigest(of:)`), so it did not read them. A kept file reads like any other (its bytes
/// are loaded on first use); `Publisher` leaves it in place without reading it at all.
public struct SiteFiles: Sendable, Equatable {
    private var storage: [String: [UInt8]] = [:]
    private var kept: [String: Kept] = [:]

    /// SHA-256 (hex) of files whose digest the renderer knows (chapter pages rendered with a page cache),
    /// by path; for recording what a publish put where (see `PageCache.publishedDigest(of:)`).
    public private(set) var digests: [String: String] = [:]

    /// Files of the content folder the pages link to or show (images, data), relative to it, sorted; the
    /// site holds each at the same relative path once the caller has copied it in (see `SiteBuilder`).
    public var contentFiles: [String] = []

    public init() {}

    /// The relative paths, sorted.
    public var paths: [String] { (Array(storage.keys) + Array(kept.keys)).sorted() }

    /// The number of files.
    public var count: Int { storage.count + kept.count }

    /// The total size in bytes.
    public var totalBytes: Int { storage.values.reduce(0) { $0 + $1.count } + kept.values.reduce(0) { $0 + $1.size } }

    /// The bytes of the file at `path`, if any (a kept file's are read on first use; nil if that fails).
    public subscript(path: String) -> [UInt8]? {
        get { storage[path] ?? kept[path]?.bytes }
        set {
            storage[path] = newValue
            kept[path] = nil
            digests[path] = nil
        }
    }

    /// The file at `path` decoded as UTF-8 (for tests and tools).
    public func text(_ path: String) -> String? {
        self[path].map { String(decoding: $0, as: UTF8.self) }
    }

    /// Stores `text` as UTF-8 at `path`.
    public mutating func set(_ path: String, text: String) {
        self[path] = Array(text.utf8)
    }

    /// Stores `bytes` at `path`, whose SHA-256 (hex) is `digest`.
    public mutating func set(_ path: String, bytes: [UInt8], digest: String) {
        self[path] = bytes
        digests[path] = digest
    }

    /// Records that the published site holds the file at `path`: `size` bytes whose SHA-256 (hex) is
    /// `digest`; `load` reads them (and checks them against `digest`) if anyone asks.
    public mutating func keep(_ path: String, size: Int, digest: String, load: @escaping @Sendable () -> [UInt8]?) {
        storage[path] = nil
        kept[path] = Kept(size: size, load: load)
        digests[path] = digest
    }

    /// Adds every file of `other` (kept ones stay kept, known digests stay known); a path both hold takes
    /// `other`'s file. For files made beside the renderer, such as the chapters' downloads.
    public mutating func merge(_ other: SiteFiles) {
        for (path, bytes) in other.storage { storage[path] = bytes; kept[path] = nil; digests[path] = nil }
        for (path, file) in other.kept { storage[path] = nil; kept[path] = file }
        for (path, digest) in other.digests { digests[path] = digest }
    }

    /// The size of the file at `path` when it is kept (the published site holds it already), else nil.
    public func keptSize(_ path: String) -> Int? { kept[path]?.size }

    public static func == (lhs: SiteFiles, rhs: SiteFiles) -> Bool {
        lhs.contentFiles == rhs.contentFiles && lhs.paths == rhs.paths && lhs.paths.allSatisfy { lhs[$0] == rhs[$0] }
    }

    /// A file not read yet, and its bytes once they are.
    private final class Kept: Sendable {
        let size: Int
        private let load: @Sendable () -> [UInt8]?
        private let loaded = Mutex<[UInt8]??>(nil)
        init(size: Int, load: @escaping @Sendable () -> [UInt8]?) { self.size = size; self.load = load }
        var bytes: [UInt8]? {
            loaded.withLock { value in
                if let value { return value }
                let bytes = load()
                value = .some(bytes)
                return bytes
            }
        }
    }
}
