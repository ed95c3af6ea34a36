import BookModel
/// What the site needs to know about the book as a whole: its title, shown on every page, and the settings
/// of `Content/book.yml` that shape every page (language, logo, links, the address it is published at).
public struct BookInfo: Codable, Sendable, Equatable {
    /// The book's title, e.g. "Feedback Loops for ML Models".
    public var title: String
    /// An optional line under the title on the index page; also the index page's description.
    public var subtitle: String?
    /// Optional author line on the index page.
    public var author: String?
    /// Optional Markdown shown on the index page above the chapter list.
    public var introduction: String?
    /// The language of the pages, a tag like "en" or "pt-BR" (`<html lang>`).
    public var language: String
    /// A file of the content folder shown beside the title and used as the icon, e.g. "images/logo.svg".
    public var logo: String?
    /// The book's source repository, linked from the index page.
    public var repository: String?
    /// Where a chapter is edited: `{path}` is replaced by the chapter's file name, e.g.
    /// "https://github.com/you/book/edit/main/Content/{path}". Each chapter gets an "Edit this page" link.
    public var editURL: String?
    /// The address the site is published at, ending in "/" (e.g. "https://example.org/book/"): gives
    /// `og:url`, `sitemap.xml`, and a `<base>` for the 404 page.
    public var siteURL: String?
    /// Steps show their code folded under "Show code" unless they say `unfold` (book.yml's `code-fold`).
    /// Part of every page's cache key, since `PageKey.Site` encodes the whole `BookInfo`.
    public var codeFold: Bool
    /// The student edition (the default) leaves every ```swift solution step out of the site; the teacher
    /// edition shows each folded under "Show solution". Part of every page's cache key (through `PageKey.Site`).
    public var edition: Edition = .student
    /// Writes `print.html`, the whole book on one page (as mdBook's print page), and links it from every
    /// page's top bar. `SiteBuilder` sets it from book.yml's `print` (default: on for a book of at most
    /// `automaticPrintChapterLimit` chapters). Part of every page's cache key (through `PageKey.Site`).
    public var print = false

    /// A book of more chapters than this gets no print page unless book.yml says `print: true`: a thousand
    /// chapters print as thousands of pages, and assembling the page would slow every edit of such a book.
    public static let automaticPrintChapterLimit = 200

    public init(title: String, subtitle: String? = nil, author: String? = nil, introduction: String? = nil,
                language: String = "en", logo: String? = nil, repository: String? = nil, editURL: String? = nil,
                siteURL: String? = nil, codeFold: Bool = false) {
        self.title = title
        self.subtitle = subtitle
        self.author = author
        self.introduction = introduction
        self.language = language
        self.logo = logo
        self.repository = repository
        self.editURL = editURL
        self.codeFold = codeFold
        self.siteURL = siteURL.map { $0.hasSuffix("/") ? $0 : $0 + "/" }
    }
}
