/// A loaded book: its metadata from `Content/book.yml` and its chapters in order.
public struct Book: Sendable, Equatable {
    public var title: String?
    /// `subtitle` (or `description`) from book.yml.
    public var subtitle: String?
    public var author: String?
    /// `language` from book.yml, a tag like "en" or "pt-BR" (nil: not given; the site uses "en").
    public var language: String?
    /// `logo` from book.yml: a file of the content folder (a path relative to it, as in `assets`).
    public var logo: String?
    /// `repository` from book.yml: the web address of the book's source.
    public var repository: String?
    /// `edit-url` from book.yml: a web address in which `{path}` stands for a chapter's file name.
    public var editURL: String?
    /// `site-url` from book.yml: the web address the site is published at, ending in "/".
    public var siteURL: String?
    /// `code-fold` from book.yml: steps show their code folded under "Show code" unless they say `unfold`.
    public var codeFold = false
    /// `print` from book.yml: whether the site has `print.html`, the whole book on one page; nil when not
    /// given (the site decides by the number of chapters).
    public var print: Bool?
    /// `downloads` from book.yml: each chapter with code offers its Markdown and a runnable Swift package.
    public var downloads = true
    /// Chapters ordered by their numeric prefix.
    public var chapters: [Chapter]
    /// The files beside the chapters (images, data, downloads), as paths relative to the content folder
    /// with `/` separators, sorted; a chapter may link to them and the site publishes the ones it links to.
    public var assets: [String] = []
    /// The Swift files of `Content/shared/` (sorted by path), compiled into every chapter program: helper
    /// functions and types the chapters share.
    public var sharedCode: [SourceFile] = []

    public init(title: String? = nil, subtitle: String? = nil, author: String? = nil, chapters: [Chapter]) {
        self.title = title; self.subtitle = subtitle; self.author = author; self.chapters = chapters
    }

    /// The chapter with this slug (e.g. "03-data"), if any.
    public func chapter(_ slug: String) -> Chapter? {
        chapters.first { $0.slug == slug }
    }
}

/// A Swift source file of the book, e.g. `Content/shared/metrics.swift`.
public struct SourceFile: Sendable, Equatable, Codable {
    /// The path shown in messages, relative to the project ("Content/shared/metrics.swift").
    public var path: String
    public var contents: String
    public init(path: String, contents: String) { self.path = path; self.contents = contents }
}
