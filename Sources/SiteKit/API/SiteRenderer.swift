import BookModel
import Markdown

/// Turns executed chapters into the files of the website (pure: no disk access, deterministic output).
///
/// ```swift
/// let files = try SiteRenderer(book: BookInfo(title: "Feedback Loops")).render(chapters)
/// let report = try Publisher.publish(files, to: siteURL)
/// ```
///
/// The site is flat so it works from `file://` and any static host: `index.html`, one `<slug>.html` per
/// chapter, `assets/style.css`, `assets/site.js`, `search-index.json` (+ `search-index.js`) and the
/// chapters' artifacts under `files/<slug>/`.
public struct SiteRenderer: Sendable {
    public var book: BookInfo

    public init(book: BookInfo) {
        self.book = book
    }

    /// Renders every page, the assets, the search index and the chapters' artifacts.
    /// Chapters appear in the given order (callers sort them by number).
    public func render(_ chapters: [ExecutedChapter]) throws(SiteError) -> SiteFiles {
        try checkSlugs(chapters)
        let layout = Layout(book: book, chapters: chapters.map(\.chapter))
        var files = SiteFiles()
        var search: [SearchIndex.Chapter] = []
        for (position, executed) in chapters.enumerated() {
            let page = try ChapterPage(layout: layout, position: position, executed: executed).render()
            files.set("\(executed.chapter.slug).html", text: page.html)
            for artifact in page.artifacts { files[artifact.path] = artifact.bytes }
            search.append(page.search)
        }
        files.set("index.html", text: IndexPage(layout: layout).render())
        for asset in Assets.files { files[asset.path] = asset.bytes }
        let index = SearchIndex(book: book.title, chapters: search)
        let json = index.json()
        files.set("search-index.json", text: json + "\n")
        files.set("search-index.js", text: index.script(json: json))
        return files
    }

    private func checkSlugs(_ chapters: [ExecutedChapter]) throws(SiteError) {
        var seen: [String: String] = [:]
        for executed in chapters {
            let chapter = executed.chapter
            if let other = seen[chapter.slug] {
                throw .duplicateSlug(chapter.slug, files: [other, chapter.path])
            }
            if ["index", "search-index"].contains(chapter.slug) || chapter.slug.contains("/") || chapter.slug.isEmpty {
                throw .invalidSlug(file: chapter.path, slug: chapter.slug)
            }
            seen[chapter.slug] = chapter.path
        }
    }
}
