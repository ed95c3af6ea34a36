import ArgumentParser
import BookModel
import Foundation
import LoopbookBuild

/// `loopbook pdf`: build the site, then print its `print.html` to a PDF with headless Chromium.
///
/// A command of its own rather than a `build` flag: the PDF depends on the Chromium installed (fonts, layout
/// engine), so it stays out of the site folder, which must be byte-reproducible; and, like Quarto's
/// `quarto render --to pdf`, it names the file it writes with `--output`.
public struct PdfCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "pdf",
        abstract: "Build the site, then print the whole book (print.html) to a PDF with headless Chromium.",
        discussion: """
            Builds the book as 'loopbook build' does (only what changed runs), then opens the site's \
            print.html, the whole book on one page with each chapter from a new page, in headless Chromium \
            and prints it in the light theme. The PDF is written outside the site folder (book.pdf in the \
            project folder unless --output says otherwise), under a temporary name first, so a failed print \
            never leaves a half-written file. Needs Chromium ('apt-get install chromium' on Debian; \
            LOOPBOOK_CHROMIUM may name another executable).
            """)

    @Option(name: .long, help: ArgumentHelp("The project folder (holds Content/ and Site/).", valueName: "folder"))
    public var root: String = "."

    @Option(name: .long, help: ArgumentHelp("The chapters folder, relative to the root.", valueName: "folder"))
    public var content: String = "Content"

    @Option(name: .long, help: ArgumentHelp("The site folder, relative to the root (default: Site, or Site-teacher for the teacher edition).", valueName: "folder"))
    public var site: String?

    @Option(name: [.short, .long], help: ArgumentHelp("The PDF to write (default: book.pdf in the project folder; book-teacher.pdf for the teacher edition).", valueName: "file"))
    public var output: String?

    @OptionGroup public var run: RunOptions

    public init() {}

    public func validate() throws {
        if let output, output.isEmpty || output.hasSuffix("/") {
            throw ValidationError("--output must name a file, e.g. --output book.pdf; it is '\(output)'.")
        }
    }

    public func run() async throws {
        try await perform(console: .standard)
    }

    /// The PDF's path: `--output` (relative to the current folder), else `book.pdf` in the project folder.
    func pdfURL(layout: ProjectLayout) -> URL {
        if let output {
            let base = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
            return URL(fileURLWithPath: output, relativeTo: base).standardizedFileURL
        }
        return layout.root.appendingPathComponent(run.edition == .teacher ? "book-teacher.pdf" : "book.pdf")
    }

    /// Builds, then prints; throws `ExitCode.failure` after printing what went wrong.
    public func perform(console: Console) async throws {
        let project = try ProjectOptions.parse(["--root", root, "--content", content] + (site.map { ["--output", $0] } ?? []))
        let layout = project.layout(edition: run.edition)
        let pdf = pdfURL(layout: layout)
        // Before the build: no point in running chapters for a PDF that cannot be printed.
        let chromium: URL
        do {
            chromium = try PDFPrinter.chromium()
        } catch {
            console.error(error.description)
            throw ExitCode.failure
        }
        let siteFolder = layout.output.standardizedFileURL.path
        if pdf.path == siteFolder || pdf.path.hasPrefix(siteFolder + "/") {
            console.error("the PDF would be written into the site folder \(layout.displayFolder(layout.output)), which a build replaces "
                          + "and which must stay reproducible; choose a path outside it with --output.")
            throw ExitCode.failure
        }
        let options = run.notebookOptions()
        let builder = SiteBuilder(layout: layout, options: options)
        let progress = BuildProgress(console: console)
        let outcome = await builder.build { progress.handle($0) }
        for issue in outcome.issues { console.error(issue) }
        console.progress(BuildSummary.line(for: outcome, layout: layout, options: options, publishing: true))
        guard outcome.succeeded else { throw ExitCode.failure }
        let page = layout.output.appendingPathComponent("print.html")
        guard FileManager.default.fileExists(atPath: page.path) else {
            let reason = outcome.notes.first { $0.hasPrefix("print.html") }
                .map { "the site has no print.html to print (\($0.prefix { $0 != ";" }))" }
                ?? "the site has no print.html to print (book.yml says 'print: false')"
            console.error("\(reason); set 'print: true' in \(layout.display(layout.content))/book.yml and run 'loopbook pdf' again.")
            throw ExitCode.failure
        }
        let start = ContinuousClock.now
        do {
            let size = try PDFPrinter(chromium: chromium).print(page: page, to: pdf)
            let time = BuildProgress.seconds(SiteBuilder.seconds(since: start))
            console.progress("Wrote \(layout.display(pdf)) (\(Self.size(size))) from \(layout.display(page)) in \(time).")
        } catch {
            console.error(error.description)
            throw ExitCode.failure
        }
    }

    static func size(_ bytes: Int) -> String {
        if bytes < 1024 { return "\(bytes) bytes" }
        if bytes < 1024 * 1024 { return String(format: "%.1f KB", Double(bytes) / 1024) }
        return String(format: "%.1f MB", Double(bytes) / 1024 / 1024)
    }
}
