import BookModel
/// The files of a rendered site: relative path → bytes, iterated in sorted path order.
///
/// Paths use `/` and never start with `/` or contain `..`, e.g. `index.html`, `03-data.html`,
/// `assets/style.css`, `files/03-data/sample.csv`.
public struct SiteFiles: Sendable, Equatable {
    private var storage: [String: [UInt8]] = [:]

    /// Files of the content folder the pages link to or show (images, data), relative to it, sorted; the
    /// site holds each at the same relative path once the caller has copied it in (see `SiteBuilder`).
    public var contentFiles: [String] = []

    public init() {}

    /// The relative paths, sorted.
    public var paths: [String] { storage.keys.sorted() }

    /// The number of files.
    public var count: Int { storage.count }

    /// The total size in bytes.
    public var totalBytes: Int { storage.values.reduce(0) { $0 + $1.count } }

    /// The bytes of the file at `path`, if any.
    public subscript(path: String) -> [UInt8]? {
        get { storage[path] }
        set { storage[path] = newValue }
    }

    /// The file at `path` decoded as UTF-8 (for tests and tools).
    public func text(_ path: String) -> String? {
        storage[path].map { String(decoding: $0, as: UTF8.self) }
    }

    /// Stores `text` as UTF-8 at `path`.
    public mutating func set(_ path: String, text: String) {
        storage[path] = Array(text.utf8)
    }
}
