import BookModel
import Notebook
import SiteKit

/// One reason a build (or a check) did not succeed, kept typed until the console formats it.
///
/// Every case reads as one full sentence (`description`, without a severity prefix); the console prints
/// it as `error: <description>`, escaping control characters. A `located` issue names the Markdown file,
/// line and column, and may carry what the failing step printed so far.
public enum BuildIssue: Error, Sendable, Equatable, CustomStringConvertible {
    /// A problem at a place in a chapter: a compile error, a trap, a step that failed.
    case located(Diagnostic)
    /// The book could not be loaded or run (no content folder, bad front matter, compiler missing, …).
    case book(NotebookError)
    /// The site could not be rendered or published (an unknown `{{ key }}`, a folder that cannot be written, …).
    case site(SiteError)
    /// `check`: a link or anchor in a rendered page does not resolve; `site` is the site folder as displayed.
    case brokenLink(LinkChecker.Problem, site: String)
    /// `check`: a file of the site folder differs from what a clean build produces.
    case outOfDate(String)
    /// Anything else that stopped the build, as a sentence (a lock that could not be taken, …).
    case other(String)

    public var description: String {
        switch self {
        case let .located(diagnostic): diagnostic.place + ": " + diagnostic.message
        case let .book(error): error.diagnostic.map { $0.place + ": " + $0.message } ?? error.description
        case let .site(error): error.description
        case let .brokenLink(problem, site): "\(site)/\(problem.description)"
        case let .outOfDate(sentence), let .other(sentence): sentence
        }
    }

    /// What the failing step printed before it failed (its last lines), when there is any.
    public var output: String? {
        if case let .located(diagnostic) = self, let output = diagnostic.output, !output.isEmpty { return output }
        return nil
    }

    /// The issue for any error a stage threw.
    public init(_ error: any Error) {
        switch error {
        case let issue as BuildIssue: self = issue
        case let error as NotebookError: self = .book(error)
        case let error as SiteError: self = .site(error)
        default: self = .other("\(error)")
        }
    }
}
