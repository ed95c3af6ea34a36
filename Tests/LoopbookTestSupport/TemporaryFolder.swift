import Foundation

/// A folder of its own under the system's temporary directory, for one test; `remove()` deletes it.
///
/// ```swift
/// let folder = try TemporaryFolder(prefix: "learning-csv")
/// defer { folder.remove() }
/// try folder.write("Content/01-a.md", "# A\n")
/// ```
public struct TemporaryFolder: Sendable {
    /// The folder, `<tmp>/<prefix>-<UUID>`.
    public let root: URL

    /// Creates an empty folder.
    public init(prefix: String) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    /// Creates a folder holding a copy of everything in `source` (a fixture folder or a built project).
    public init(prefix: String, copyingContentsOf source: URL) throws {
        self = try TemporaryFolder(prefix: prefix)
        for name in try FileManager.default.contentsOfDirectory(atPath: source.path) {
            try FileManager.default.copyItem(at: source.appendingPathComponent(name), to: root.appendingPathComponent(name))
        }
    }

    /// A folder that already exists (removed with whatever holds it, or by `remove()`).
    public init(existing root: URL) { self.root = root }

    /// The URL of `path`, relative to the folder.
    public func url(_ path: String) -> URL { root.appendingPathComponent(path) }

    /// Writes `text` as UTF-8 to `path`, creating the folders on the way.
    public func write(_ path: String, _ text: String) throws {
        try write(path, data: Data(text.utf8))
    }

    /// Writes `data` to `path`, creating the folders on the way.
    public func write(_ path: String, data: Data) throws {
        let url = url(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url)
    }

    /// The UTF-8 text of the file at `path`.
    public func read(_ path: String) throws -> String {
        try String(contentsOf: url(path), encoding: .utf8)
    }

    /// Every file below `path` (the whole folder by default) with its bytes, keyed by its path below `path`.
    public func files(under path: String = "") -> [String: Data] {
        let base = path.isEmpty ? root : url(path)
        var result: [String: Data] = [:]
        guard let enumerator = FileManager.default.enumerator(atPath: base.path) else { return result }
        while let name = enumerator.nextObject() as? String {
            if let data = FileManager.default.contents(atPath: base.appendingPathComponent(name).path) { result[name] = data }
        }
        return result
    }

    /// Deletes the folder and everything in it (errors are ignored: a test's clean-up must not fail it).
    public func remove() { try? FileManager.default.removeItem(at: root) }
}
