import Foundation
import LoopbookBuild
import LoopbookCommands
import LoopbookTestSupport
import Testing

/// `loopbook pdf`: the site's print.html printed by headless Chromium, outside the site folder; a clear error
/// without Chromium; never a half-written PDF.
@Suite("loopbook pdf", .serialized)
struct PdfCommandTests {
    /// Runs a poppler tool (`pdfinfo`, `pdftotext`) on `pdf`; nil when poppler-utils is not installed.
    static func poppler(_ tool: String, _ arguments: [String]) throws -> String? {
        let path = "/usr/bin/" + tool
        guard FileManager.default.isExecutableFile(atPath: path) else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    /// Pages of a PDF: `pdfinfo`'s count, else the page objects (`/Type /Page`, not `/Pages`) in its bytes.
    static func pageCount(_ pdf: URL) throws -> Int {
        if let info = try poppler("pdfinfo", [pdf.path]),
           let line = info.split(separator: "\n").first(where: { $0.hasPrefix("Pages:") }) {
            return Int(line.dropFirst(6).trimmingCharacters(in: .whitespaces)) ?? -1
        }
        let text = String(decoding: try Data(contentsOf: pdf), as: UTF8.self)
        return text.matches(of: /\/Type\s*\/Page(?![s\w])/).count
    }

    @Test(.enabled(if: Chromium.isInstalled, "needs /usr/bin/chromium"))
    func writesThePrintPageAsAPdfWithAPageBreakPerChapter() async throws {
        let project = try await Fixtures.builtCopy()
        defer { project.remove() }
        let siteBefore = project.siteSnapshot()
        let result = await execute(PdfCommand.self, ["--root", project.root.path])
        #expect(result.code == 0, "\(result.stderr)")
        let pdf = project.root.appendingPathComponent("book.pdf")
        #expect(result.stderr.contains("Wrote book.pdf ("), "\(result.stderr)")
        #expect(result.stderr.contains(" from Site/print.html in "), "\(result.stderr)")
        let data = try Data(contentsOf: pdf)
        #expect(Array(data.prefix(5)) == Array("%PDF-".utf8))
        // The contents list, then each of the 2 chapters from a new page.
        #expect(try Self.pageCount(pdf) >= 3)
        #expect(project.siteSnapshot() == siteBefore, "the PDF is not written into Site/, which the no-op build left alone")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: project.root.path).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty, "\(leftovers)")
        if let text = try Self.poppler("pdftotext", [pdf.path, "-"]) {
            // The contents list, then chapter 1 (its title, prose, table), then chapter 2, each found after the one before.
            let sequence = ["Commands Fixture", "Contents", "Basics", "More", "Basics", "This chapter counts pelicans",
                            "Pelicans by shore", "More", "Back to the basics"]
            var rest = text[...]
            for part in sequence {
                let found = rest.range(of: part)
                #expect(found != nil, "'\(part)' follows in the PDF's text: \(text.prefix(2000))")
                if let found { rest = rest[found.upperBound...] }
            }
        }

        // --output names the file (relative to the current folder, or absolute); the PDF never goes into Site/.
        let other = project.root.appendingPathComponent("out/course.pdf")
        try FileManager.default.createDirectory(at: other.deletingLastPathComponent(), withIntermediateDirectories: true)
        let named = await execute(PdfCommand.self, ["--root", project.root.path, "--output", other.path])
        #expect(named.code == 0, "\(named.stderr)")
        #expect(FileManager.default.fileExists(atPath: other.path))
        let inside = await execute(PdfCommand.self, ["--root", project.root.path, "--output", project.site.appendingPathComponent("book.pdf").path])
        #expect(inside.code == 1)
        #expect(inside.stderr.contains("error: the PDF would be written into the site folder Site/"), "\(inside.stderr)")
    }

    @Test func withoutChromiumTheErrorSaysHowToInstallIt() throws {
        #expect(throws: PDFPrinter.Failure("the PDF is printed by headless Chromium, which is not installed (no chromium or chromium-browser "
                                           + "on the PATH); install it with 'apt-get install chromium' (Debian) and run the command again.")) {
            try PDFPrinter.chromium(environment: ["PATH": "/nonexistent:/also/missing"])
        }
        #expect(throws: PDFPrinter.Failure("LOOPBOOK_CHROMIUM is '/nonexistent/chromium', which is not an executable file; point it at "
                                           + "Chromium (e.g. /usr/bin/chromium) or unset it.")) {
            try PDFPrinter.chromium(environment: ["LOOPBOOK_CHROMIUM": "/nonexistent/chromium"])
        }
    }

    @Test func aFailedPrintLeavesNoHalfWrittenPdfAndKeepsThePreviousOne() throws {
        let folder = try TemporaryFolder(prefix: "loopbook-pdf")
        defer { folder.remove() }
        // A "Chromium" that starts writing the PDF, then fails.
        try folder.write("fake-chromium", "#!/bin/sh\nfor a in \"$@\"; do case \"$a\" in --print-to-pdf=*) printf '%%PDF-1.4 half' > \"${a#--print-to-pdf=}\";; esac; done\necho 'crashed' >&2\nexit 3\n")
        let fake = folder.url("fake-chromium")
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: fake.path)
        try folder.write("print.html", "<p>a book</p>")
        try folder.write("book.pdf", "previous")
        let printer = PDFPrinter(chromium: fake)
        // Running a script just written can fail for a moment with ETXTBSY ("text file busy"): a process forked
        // by a parallel test may still hold the descriptor that wrote it. Only that failure is retried.
        var error: PDFPrinter.Failure?
        for _ in 0..<50 {
            do {
                _ = try printer.print(page: folder.url("print.html"), to: folder.url("book.pdf"))
                error = nil
            } catch let failure {
                error = failure
            }
            guard let error, error.description.hasPrefix("could not start Chromium") else { break }
            Thread.sleep(forTimeInterval: 0.1)
        }
        #expect(error?.description == "Chromium (\(fake.path)) exited with status 3 without writing a PDF of print.html; nothing was written. It said:\ncrashed")
        #expect(try folder.read("book.pdf") == "previous")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.root.path).sorted() == ["book.pdf", "fake-chromium", "print.html"])
    }
}
