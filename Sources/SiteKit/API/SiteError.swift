import BookModel
/// Why rendering or publishing the site failed; each description is a full sentence naming the values.
public enum SiteError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A problem at a place in a chapter: an unknown `{{ key }}`, a link to a chapter, section or file that
    /// does not exist, nesting too deep to show.
    case located(Diagnostic)
    /// Several problems, all found in one pass, in book order.
    case several([SiteError])
    /// Two chapters share a slug, so they would write the same page.
    case duplicateSlug(String, files: [String])
    /// A slug that would collide with the site's own files or leave the site folder.
    case invalidSlug(file: String, slug: String)
    /// An artifact name that is empty, absolute or climbs out of its folder.
    case invalidArtifactName(file: String, name: String)
    /// The site folder (or its parent) cannot be written.
    case notWritable(path: String, reason: String)
    /// A file system operation failed while publishing; the previous site is untouched.
    case publishFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case let .located(diagnostic):
            return diagnostic.place + ": " + diagnostic.message
        case let .several(errors):
            return errors.map(\.description).joined(separator: "\n")
        case let .duplicateSlug(slug, files):
            return "Chapters \(files.joined(separator: " and ")) have the same slug '\(slug)'; rename one of them."
        case let .invalidSlug(file, slug):
            return "\(file): the chapter slug '\(slug)' cannot be used for a page; rename the file (e.g. to 'NN-topic.md')."
        case let .invalidArtifactName(file, name):
            return "\(file): artifact name '\(name)' is not a plain relative path inside the chapter's folder."
        case let .notWritable(path, reason):
            return "Cannot write the site to '\(path)': \(reason)."
        case let .publishFailed(path, reason):
            return "Publishing to '\(path)' failed: \(reason); the previous site was left as it was."
        }
    }
}
