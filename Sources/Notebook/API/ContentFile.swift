import BookModel
import Foundation

/// Reading a file of the content folder that the site publishes (an image, a data file a page links to).
public enum ContentFile {
    /// The largest file a page may publish from the content folder.
    public static let maxSize: Int64 = 1_000_000_000

    /// The bytes of `url`, which must be a regular file inside `root` (links may not leave it).
    ///
    /// - Throws: `NotebookError.unusableFile` for a folder, a pipe, a link out of the folder or a file over
    ///   `maxSize`; `NotebookError.io` when it cannot be read. `display` names the file in messages.
    public static func read(_ url: URL, display: String, within root: URL) throws -> Data {
        try FileCheck.readable(url, display: display, within: root, maxSize: maxSize)
        do {
            return try Data(contentsOf: url)
        } catch {
            throw NotebookError.io(path: display, message: "the file could not be read: \(error.localizedDescription).")
        }
    }
}
