import BookModel
/// What the site needs to know about the book as a whole: its title, shown on every page.
public struct BookInfo: Sendable, Equatable {
    /// The book's title, e.g. "Feedback Loops for ML Models".
    public var title: String
    /// An optional line under the title on the index page.
    public var subtitle: String?
    /// Optional author line on the index page.
    public var author: String?
    /// Optional Markdown shown on the index page above the chapter list.
    public var introduction: String?

    public init(title: String, subtitle: String? = nil, author: String? = nil, introduction: String? = nil) {
        self.title = title
        self.subtitle = subtitle
        self.author = author
        self.introduction = introduction
    }
}
