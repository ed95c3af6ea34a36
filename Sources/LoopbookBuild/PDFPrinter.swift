import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Prints a page of the site (the book's `print.html`) to a PDF file with headless Chromium, as
/// `loopbook pdf` does. The PDF is written outside the site folder, so `Site/` stays byte-reproducible.
///
/// ```swift
/// let chromium = try PDFPrinter.chromium()
/// try PDFPrinter(chromium: chromium).print(page: site.appendingPathComponent("print.html"), to: pdf)
/// ```
///
/// Chromium writes to a temporary file beside `output`, which is renamed into place only once it is a whole
/// PDF: a failed or interrupted print never leaves a half-written file where the PDF goes, and a previous PDF
/// stays as it was.
public struct PDFPrinter: Sendable {
    /// The Chromium executable, e.g. `/usr/bin/chromium`.
    public var chromium: URL
    /// How long Chromium may take before it is stopped and the print fails.
    public var timeout: Duration

    public init(chromium: URL, timeout: Duration = .seconds(600)) {
        self.chromium = chromium
        self.timeout = timeout
    }

    /// Why a PDF could not be written, in a full sentence that says what to do.
    public struct Failure: Error, CustomStringConvertible, Equatable {
        public var description: String
        public init(_ description: String) { self.description = description }
    }

    /// The names Chromium is installed under (Debian: `chromium`; other systems: `chromium-browser`).
    static let names = ["chromium", "chromium-browser"]

    /// Chromium from `$LOOPBOOK_CHROMIUM` when set, else the first `chromium` or `chromium-browser` on
    /// `path` (default: `$PATH`).
    /// - Throws: `Failure` when there is none, saying how to install it.
    public static func chromium(environment: [String: String] = ProcessInfo.processInfo.environment) throws(Failure) -> URL {
        if let chosen = environment["LOOPBOOK_CHROMIUM"], !chosen.isEmpty {
            guard FileManager.default.isExecutableFile(atPath: chosen) else {
                throw Failure("LOOPBOOK_CHROMIUM is '\(chosen)', which is not an executable file; point it at Chromium "
                              + "(e.g. /usr/bin/chromium) or unset it.")
            }
            return URL(fileURLWithPath: chosen)
        }
        let folders = (environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":")
        for name in names {
            for folder in folders where !folder.isEmpty {
                let candidate = String(folder) + "/" + name
                if FileManager.default.isExecutableFile(atPath: candidate) { return URL(fileURLWithPath: candidate) }
            }
        }
        throw Failure("the PDF is printed by headless Chromium, which is not installed (no chromium or chromium-browser "
                      + "on the PATH); install it with 'apt-get install chromium' (Debian) and run the command again.")
    }

    /// Prints `page` (a file of the site) to `output`; returns the PDF's size in bytes.
    /// - Throws: `Failure` when Chromium fails, times out or writes no PDF, or the PDF cannot be moved into place.
    @discardableResult
    public func print(page: URL, to output: URL) throws(Failure) -> Int {
        let manager = FileManager.default
        let folder = output.deletingLastPathComponent()
        guard (try? folder.checkResourceIsReachable()) == true else {
            throw Failure("cannot write \(output.path): the folder \(folder.path) does not exist; create it or choose another --output.")
        }
        // A profile of its own in a fresh temporary folder (Chromium refuses to share one between runs).
        var template = Array((NSTemporaryDirectory() + "loopbook-pdf-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else {
            throw Failure("could not make a temporary folder for Chromium's profile: \(String(cString: strerror(errno))).")
        }
        let scratch = URL(fileURLWithPath: String(cString: made))
        defer { try? manager.removeItem(at: scratch) }
        let temporary = folder.appendingPathComponent(".\(output.lastPathComponent).tmp-\(UInt64.random(in: 0...UInt64.max))")
        defer { unlink(temporary.path) }
        let errors = scratch.appendingPathComponent("stderr")
        _ = manager.createFile(atPath: errors.path, contents: nil)

        let process = Process()
        process.executableURL = chromium
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                             "--disable-component-update", "--disable-sync", "--no-first-run",
                             "--user-data-dir=\(scratch.appendingPathComponent("profile").path)",
                             "--no-pdf-header-footer", "--print-to-pdf=\(temporary.path)", page.absoluteURL.absoluteString]
        process.currentDirectoryURL = scratch
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        do {
            process.standardError = try FileHandle(forWritingTo: errors)
            try process.run()
        } catch {
            throw Failure("could not start Chromium (\(chromium.path)): \(error.localizedDescription).")
        }
        let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning, Date() < deadline { usleep(20_000) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
            throw Failure("Chromium did not finish printing \(page.lastPathComponent) within \(Int(seconds)) seconds; nothing was written.")
        }
        let stderr = String(decoding: (try? Data(contentsOf: errors)) ?? Data(), as: UTF8.self)
        let said = stderr.split(separator: "\n").suffix(5).joined(separator: "\n")
        let head = FileManager.default.contents(atPath: temporary.path)?.prefix(5)
        guard process.terminationStatus == 0, let head, Array(head) == Array("%PDF-".utf8) else {
            throw Failure("Chromium (\(chromium.path)) exited with status \(process.terminationStatus) without writing a PDF of "
                          + "\(page.lastPathComponent); nothing was written." + (said.isEmpty ? "" : " It said:\n" + said))
        }
        let size = (try? manager.attributesOfItem(atPath: temporary.path)[.size] as? Int) ?? 0
        guard rename(temporary.path, output.path) == 0 else {
            throw Failure("could not move the PDF into place at \(output.path): \(String(cString: strerror(errno))).")
        }
        return size
    }
}
