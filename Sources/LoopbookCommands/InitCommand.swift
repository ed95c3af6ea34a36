import ArgumentParser
import Foundation

/// `loopbook init [folder]`: start a new book.
public struct InitCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Start a new book in a folder (default: the current one).",
        discussion: """
            Writes Content/book.yml (the book's settings, every key explained in a comment), \
            Content/01-first-chapter.md (prose, Swift steps that print and publish values, and text that \
            quotes them), Content/data/study-hours.csv (a small table the chapter reads) and a .gitignore \
            for .loopbook/ (the build's cache) and Site-teacher/ (the teacher edition, with solutions). A folder that does not exist is created. Nothing is ever \
            overwritten: if one of these files exists, or Content/ already holds chapters, nothing is \
            written and the command fails.
            """)

    @Argument(help: ArgumentHelp("The folder of the new book; created if it does not exist.", valueName: "folder"))
    public var folder: String = "."

    public init() {}

    public func run() async throws {
        try await perform(console: .standard)
    }

    public func perform(console: Console) async throws {
        let base = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let root = URL(fileURLWithPath: folder, relativeTo: base).standardizedFileURL
        do {
            let created = try BookTemplate.create(in: root)
            let shown = folder == "." ? "the current folder" : folder
            console.print("Created a new book in \(shown):")
            for file in created { console.print("  " + file) }
            let cd = folder == "." ? "" : "cd \(BookTemplate.shellQuoted(folder)) && "
            console.print("Next: \(cd)loopbook build, then open Site/index.html (or run 'loopbook serve' there to write with live reload).")
        } catch {
            console.error("\(error)")
            throw ExitCode.failure
        }
    }
}

/// Why a new book could not be created.
public enum InitError: Error, Equatable, CustomStringConvertible {
    /// A file the book would create is already there (its path relative to the book's folder).
    case exists(folder: String, file: String)
    /// `Content/` already holds chapters.
    case hasChapters(folder: String, chapter: String)
    /// The book's folder is a file.
    case notAFolder(path: String)
    case cannotWrite(path: String, reason: String)

    public var description: String {
        switch self {
        case let .exists(folder, file):
            "\(file) already exists in \(folder), and 'loopbook init' never overwrites a file; nothing was created. Move or remove \(file), or run 'loopbook init' in another folder."
        case let .hasChapters(folder, chapter):
            "\(folder) already holds a book (\(chapter)); nothing was created. Run 'loopbook init' in another folder, or add a chapter with 'loopbook new \"Title\"'."
        case let .notAFolder(path):
            "\(path) is a file, not a folder; nothing was created. Give 'loopbook init' the name of a new or existing folder."
        case let .cannotWrite(path, reason):
            "\(path) could not be written: \(reason); nothing was created."
        }
    }
}

/// The files of a new book and how they are written.
public enum BookTemplate {
    /// The files `create` writes, relative to the book's folder, in the order it writes them.
    public static let files = [
        "Content/book.yml", "Content/01-first-chapter.md", "Content/data/study-hours.csv", ".gitignore",
    ]

    /// Writes a new book into `root` (created if missing) and returns the files it wrote, relative to `root`.
    /// Checks every file first and writes nothing when one exists or `Content/` already holds chapters;
    /// each file is created with `O_EXCL`, and if one cannot be written the ones already written are removed.
    public static func create(in root: URL, title: String? = nil) throws(InitError) -> [String] {
        let manager = FileManager.default
        let shownRoot = root.path
        var isDirectory: ObjCBool = false
        if manager.fileExists(atPath: root.path, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw .notAFolder(path: shownRoot)
        }
        // Check everything before writing anything. A dangling link counts as existing (O_EXCL would refuse it).
        for file in files {
            let path = root.appendingPathComponent(file).path
            if manager.fileExists(atPath: path) || (try? manager.destinationOfSymbolicLink(atPath: path)) != nil {
                throw .exists(folder: shownRoot, file: file)
            }
        }
        let content = root.appendingPathComponent("Content")
        let names = ((try? manager.contentsOfDirectory(atPath: content.path)) ?? []).sorted()
        if let chapter = names.first(where: isChapterName) {
            throw .hasChapters(folder: shownRoot, chapter: "Content/" + chapter)
        }

        let bookTitle = title ?? self.title(forFolderNamed: root.lastPathComponent)
        let texts = [bookYAML(title: bookTitle), firstChapter, studyHoursCSV, gitignore]
        var written: [URL] = []
        var createdFolders: [URL] = []
        do {
            for folder in [root, content, content.appendingPathComponent("data")] where !manager.fileExists(atPath: folder.path) {
                do {
                    try manager.createDirectory(at: folder, withIntermediateDirectories: true)
                } catch {
                    throw InitError.cannotWrite(path: folder.path, reason: error.localizedDescription)
                }
                createdFolders.append(folder)
            }
            for (file, text) in zip(files, texts) {
                let url = root.appendingPathComponent(file)
                let descriptor = open(url.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
                guard descriptor >= 0 else {
                    if errno == EEXIST { throw InitError.exists(folder: shownRoot, file: file) }
                    throw InitError.cannotWrite(path: url.path, reason: String(cString: strerror(errno)))
                }
                written.append(url)
                let bytes = Array(text.utf8)
                let count = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
                let failure = count == bytes.count ? nil : String(cString: strerror(errno))
                close(descriptor)
                if let failure { throw InitError.cannotWrite(path: url.path, reason: failure) }
            }
        } catch let error as InitError {
            // Leave the folder as it was: remove what this call created, newest first.
            for url in written.reversed() { try? manager.removeItem(at: url) }
            for folder in createdFolders.reversed() { rmdir(folder.path) }
            throw error
        } catch {
            throw .cannotWrite(path: root.path, reason: "\(error)")
        }
        return files
    }

    /// `NN-slug.md` as the loader reads chapter names (digits, a dash, `.md`).
    static func isChapterName(_ name: String) -> Bool {
        let digits = name.prefix { $0.isASCII && $0.isNumber }
        return !digits.isEmpty && name.dropFirst(digits.count).hasPrefix("-") && name.hasSuffix(".md")
    }

    /// "my-first_book" → "My first book": the folder's letters, digits and spaces, at most 200 characters;
    /// "My book" when nothing is left.
    public static func title(forFolderNamed name: String) -> String {
        var words = ""
        for character in name {
            if character.isLetter || character.isNumber { words.append(character) }
            else if !words.hasSuffix(" ") { words.append(" ") }
        }
        let trimmed = String(words.trimmingCharacters(in: .whitespaces).prefix(200))
            .trimmingCharacters(in: .whitespaces)
        guard let first = trimmed.first else { return "My book" }
        return first.uppercased() + trimmed.dropFirst()
    }

    /// `text` for a POSIX shell: as it is when it holds only safe characters, else in single quotes.
    static func shellQuoted(_ text: String) -> String {
        let safe = text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_./+,:@%".contains($0)) }
        return safe && !text.isEmpty ? text : "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// `Content/book.yml`: title, author and language set, every other key there as a comment.
    public static func bookYAML(title: String) -> String {
        """
        # The book as a whole. Every key is optional; an unknown key or a bad value is an error at its line
        # when the book builds. Remove the '# ' before a key to use it.

        # The book's title, on every page: one line of 1-200 characters (default "Untitled book").
        title: \(ChapterTemplate.yamlQuoted(title))

        # Under the title on the contents page, and the pages' <meta name="description"> and og:description:
        # text of 1-500 characters. 'description' is another name for the same setting; use one of them.
        # subtitle: A hands-on course, every figure computed.

        # On the contents page: one line of 1-200 characters.
        author: Your Name

        # The pages' language, <html lang> (screen readers, hyphenation, translation): a language tag such
        # as en, fr, pt-BR (default en).
        language: en

        # An image beside the title on every page, and the site's icon: a path inside Content/ to a .svg,
        # .png, .jpg, .jpeg, .gif, .webp or .ico file, published at the same path (default: a built-in icon).
        # logo: images/logo.svg

        # A "Source repository" link on the contents page: an https:// or http:// address.
        # repository: https://github.com/you/book

        # An "Edit this page" link at the end of each chapter: an https:// or http:// address in which
        # {path} becomes the chapter's file name.
        # edit-url: https://github.com/you/book/edit/main/Content/{path}

        # Where the site is published: adds og:url (and og:image for the logo) to every page, writes
        # sitemap.xml and lets 404.html work at any missing path. An https:// or http:// address without ? or #.
        # site-url: https://you.github.io/book/

        # Every step's code starts folded under "Show code" (its output stays visible); true or false (false).
        # code-fold: true

        # print.html, the whole book on one page to print or turn into a PDF with 'loopbook pdf'; true or
        # false (default: true for a book of up to 200 chapters).
        # print: false

        # Each chapter with code offers its Markdown and a runnable Swift package (.zip: the chapter's program,
        # Content/data/, Content/shared/ and the libraries; 'swift run' prints what the page shows) under
        # downloads/: true or false (true).
        # downloads: false

        """
    }

    /// `Content/01-first-chapter.md`: prose, a step that prints and publishes, a step that reads the data.
    public static let firstChapter = """
        ---
        title: A first chapter
        summary: Swift steps that run when the book is built, and text that quotes their results.
        ---

        # A first chapter

        This page is the Markdown file `Content/01-first-chapter.md`. Its Swift code blocks are *steps*:
        when the book is built, they are compiled and run as one program, and what they print appears
        right below them.

        ## A step that prints and publishes

        ```swift
        let scores = [72.0, 85.0, 91.0, 64.0, 79.0]
        let mean = scores.reduce(0, +) / Double(scores.count)
        print("mean score:", mean)
        publish("mean", mean, digits: 1)
        ```

        The mean score is **{{ mean }}**. That number was not typed into this sentence: the step above
        published it with `publish("mean", mean, digits: 1)`, and the text quotes it with a key in double
        braces, so the prose can never contradict the code. Change a score, build again, and the sentence
        changes with it.

        ## Reading data

        Files in `Content/data/` are copied beside the chapter program, so a step reads them by their path
        under `data/`. `Table.readCSV` reads a CSV file with a header row (`labelColumn: nil`: no column is
        a class label) and `show` draws it as a table:

        ```swift
        let table = try Table.readCSV("data/study-hours.csv", labelColumn: nil)
        show(table, rows: 8, title: "Hours of study and exam scores")
        let hours = try table.column("hours")
        let examScores = try table.column("score")
        let bestHours = hours[examScores.firstIndex(of: examScores.max()!)!]
        publish("students", table.rowCount)
        publish("bestHours", bestHours, digits: 1)
        ```

        The file holds {{ students }} students; the best score went to the one who studied {{ bestHours }}
        hours.

        ## What next

        - Edit a step above and run `loopbook build` again, or keep `loopbook serve` running and watch
          this page reload. Only chapters whose code changed run again.
        - Start the next chapter with `loopbook new "Its title"`.
        - Set the book's title and author in `Content/book.yml`.

        """

    /// `Content/data/study-hours.csv`: eight students' hours of study and exam scores.
    public static let studyHoursCSV = """
        hours,score
        1.5,58
        2.0,64
        3.5,71
        4.0,69
        5.5,80
        6.0,86
        7.5,91
        8.0,88

        """

    /// `.gitignore`: the build's cache and state, and the teacher edition (it holds the solutions). The
    /// student site is kept, so the book can be read without building.
    public static let gitignore = """
        # loopbook's cache and build state: rebuilt by 'loopbook build', never worth committing.
        .loopbook/
        # The teacher edition ('loopbook build --edition teacher') holds every exercise's solution: never publish it.
        Site-teacher/
        # Site/ is the generated website. It is committed by default, so readers can open Site/index.html
        # without Swift and every change to the pages shows in review (builds are reproducible). Remove the
        # '# ' below if you publish the site from CI instead.
        # Site/
        # What 'loopbook pdf' writes: made from Site/print.html with the Chromium at hand, so not reproducible.
        /book.pdf
        /book-teacher.pdf

        """
}
