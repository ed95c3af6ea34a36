import BookModel
/// What publishing changed in the site folder.
public struct PublishReport: Sendable, Equatable {
    /// Files that were new or whose bytes changed.
    public var written: Int
    /// Files whose bytes were identical and were kept as they were (same inode and mtime).
    public var unchanged: Int
    /// Files present in the old site but not in the new one.
    public var removed: Int

    public init(written: Int, unchanged: Int, removed: Int) {
        self.written = written
        self.unchanged = unchanged
        self.removed = removed
    }
}
