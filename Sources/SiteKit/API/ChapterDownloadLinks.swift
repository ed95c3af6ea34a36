/// What a chapter page offers for download: the chapter's Markdown and, for a chapter with code, the chapter
/// as a runnable Swift package; paths relative to the site (`downloads/03-the-data.zip`), sizes in bytes.
/// The page links them as "Download this chapter: Swift package (.zip, 84 KB) · Markdown".
public struct ChapterDownloadLinks: Sendable, Equatable {
    public var archivePath: String?
    public var archiveSize: Int
    public var markdownPath: String

    public init(archivePath: String?, archiveSize: Int, markdownPath: String) {
        self.archivePath = archivePath; self.archiveSize = archiveSize; self.markdownPath = markdownPath
    }

    /// For the page key: everything the link shows.
    var keyText: String { "\(archivePath ?? "-") \(archiveSize) \(markdownPath)" }
}
