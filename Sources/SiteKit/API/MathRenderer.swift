import Crypto
import Foundation

/// Renders a book's formulas to HTML, all at once: `SiteRenderer` collects every `$…$` and `$$…$$` of the
/// book and calls `render` once per build.
///
/// `katex()` is the real one: KaTeX from Debian's `libjs-katex`, run by one `node` process per build (never
/// one per formula), to HTML + MathML, with the results kept in a cache file so a build whose formulas are
/// unchanged starts no process at all. Pages with math link `assets/katex/katex.min.css`, which `assets()`
/// provides with its `.woff2` fonts (from `fonts-katex`), so math works offline and from `file://`.
public struct MathRenderer: Sendable {
    public struct Formula: Hashable, Sendable, Codable {
        public var tex: String
        public var display: Bool
        public init(tex: String, display: Bool) { self.tex = tex; self.display = display }
    }

    public enum Outcome: Sendable, Equatable {
        case html(String)
        /// The TeX is wrong: KaTeX's message, and the UTF-8 offset in the TeX where it noticed (when known).
        case error(message: String, offset: Int?)
    }

    /// The renderer cannot run at all (no `node`, no KaTeX): a full sentence saying what to install.
    public struct Unavailable: Error, Sendable, CustomStringConvertible {
        public var description: String
        public init(_ description: String) { self.description = description }
    }

    /// One outcome per formula, in order.
    public var render: @Sendable ([Formula]) throws -> [Outcome]
    /// The files a page with math needs (stylesheet and fonts), by their path in the site.
    public var assets: @Sendable () throws -> [(path: String, bytes: [UInt8])]

    public init(render: @escaping @Sendable ([Formula]) throws -> [Outcome],
                assets: @escaping @Sendable () throws -> [(path: String, bytes: [UInt8])]) {
        self.render = render
        self.assets = assets
    }

    /// The stylesheet pages with math link, relative to the site.
    static let stylesheetPath = "assets/katex/katex.min.css"

    static let installHint = "install them with: sudo apt-get install nodejs libjs-katex fonts-katex"
}

extension MathRenderer {
    /// KaTeX through Node.js. `cacheDirectory` keeps rendered formulas between builds (keyed by the TeX, the
    /// mode and KaTeX's own bytes, so an upgraded KaTeX renders everything again).
    public static func katex(cacheDirectory: URL? = nil,
                             katexDirectory: URL = URL(fileURLWithPath: "/usr/share/javascript/katex"),
                             fontsDirectory: URL = URL(fileURLWithPath: "/usr/share/fonts/truetype/katex"),
                             node: String? = nil) -> MathRenderer {
        MathRenderer(
            render: { formulas in
                try KaTeX(cacheDirectory: cacheDirectory, katexDirectory: katexDirectory, node: node).render(formulas)
            },
            assets: { try KaTeX.assets(katexDirectory: katexDirectory, fontsDirectory: fontsDirectory) })
    }
}

struct KaTeX {
    let cacheDirectory: URL?
    let katexDirectory: URL
    let node: String?

    /// The whole renderer: reads one JSON formula per line, writes one JSON result per line.
    static let script = """
        const katex = require(process.env.LOOPBOOK_KATEX);
        const input = require('fs').readFileSync(0, 'utf8').split('\\n').filter(l => l.length > 0);
        const out = [];
        for (const line of input) {
          const f = JSON.parse(line);
          try {
            out.push(JSON.stringify({html: katex.renderToString(f.tex, {displayMode: f.display,
              output: 'htmlAndMathml', throwOnError: true, strict: 'ignore', trust: false})}));
          } catch (e) {
            if (!(e instanceof katex.ParseError)) {
              // Not a TeX error but KaTeX giving up (a formula nested thousands deep overflows its stack):
              // still this formula's problem, reported at its place.
              out.push(JSON.stringify({error: 'KaTeX could not render it: ' + (e && e.name ? e.name + ': ' : '') +
                (e && e.message ? e.message : String(e)), position: null}));
              continue;
            }
            const m = /^KaTeX parse error: ([\\s\\S]*?)(?: at position \\d+:[\\s\\S]*| at end of input:[\\s\\S]*)?$/.exec(e.message);
            out.push(JSON.stringify({error: m ? m[1] : e.message, position: typeof e.position === 'number' ? e.position : null}));
          }
        }
        process.stdout.write(out.join('\\n') + '\\n');
        """

    struct CacheFile: Codable {
        var katex: String
        var formulas: [String: String]
    }

    private static func key(_ formula: MathRenderer.Formula) -> String { (formula.display ? "D " : "I ") + formula.tex }

    func render(_ formulas: [MathRenderer.Formula]) throws -> [MathRenderer.Outcome] {
        let script = katexDirectory.appendingPathComponent("katex.min.js")
        // Debian's katex.min.js is a link to katex.js: the fingerprint is the real file's.
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: script.resolvingSymlinksInPath().path) else {
            throw MathRenderer.Unavailable("the book has math, which Loopbook renders with KaTeX, but \(script.path) "
                                           + "is missing; " + MathRenderer.installHint + ".")
        }
        let fingerprint = Self.fingerprint(path: script.resolvingSymlinksInPath().path, attributes: attributes)
        let cacheURL = cacheDirectory?.appendingPathComponent("math-katex.json")
        var cached: [String: String] = [:]
        if let cacheURL, let data = FileManager.default.contents(atPath: cacheURL.path),
           let file = try? JSONDecoder().decode(CacheFile.self, from: data), file.katex == fingerprint {
            cached = file.formulas
        }
        let missing = Array(Set(formulas.filter { cached[Self.key($0)] == nil })).sorted { Self.key($0) < Self.key($1) }
        var fresh: [MathRenderer.Formula: MathRenderer.Outcome] = [:]
        if !missing.isEmpty {
            let outcomes = try run(missing, library: script)
            for (formula, outcome) in zip(missing, outcomes) { fresh[formula] = outcome }
        }
        var results: [MathRenderer.Outcome] = []
        var keep: [String: String] = [:]
        for formula in formulas {
            let key = Self.key(formula)
            let outcome = cached[key].map(MathRenderer.Outcome.html) ?? fresh[formula] ?? .error(message: "no output", offset: nil)
            if case let .html(html) = outcome { keep[key] = html }
            results.append(outcome)
        }
        if let cacheURL, keep != cached {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            if let data = try? encoder.encode(CacheFile(katex: fingerprint, formulas: keep)) {
                try? FileManager.default.createDirectory(at: cacheURL.deletingLastPathComponent(),
                                                         withIntermediateDirectories: true)
                try? data.write(to: cacheURL, options: .atomic)
            }
        }
        return results
    }

    /// Runs `node` once over every formula.
    private func run(_ formulas: [MathRenderer.Formula], library: URL) throws -> [MathRenderer.Outcome] {
        guard let executable = node ?? Self.findNode() else {
            throw MathRenderer.Unavailable("the book has math, which Loopbook renders with KaTeX through Node.js, but "
                                           + "'node' is not on the PATH; " + MathRenderer.installHint + ".")
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var input = Data()
        for formula in formulas {
            input += (try? encoder.encode(formula)) ?? Data()
            input.append(0x0A)
        }
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("loopbook-katex-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let inURL = folder.appendingPathComponent("in.jsonl"), outURL = folder.appendingPathComponent("out.jsonl"),
            errURL = folder.appendingPathComponent("err.txt")
        try input.write(to: inURL)
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["-e", Self.script]
        var environment = ProcessInfo.processInfo.environment
        environment["LOOPBOOK_KATEX"] = library.path
        environment["NODE_OPTIONS"] = nil
        process.environment = environment
        let stdin = try FileHandle(forReadingFrom: inURL), stdout = try FileHandle(forWritingTo: outURL),
            stderr = try FileHandle(forWritingTo: errURL)
        defer { try? stdin.close(); try? stdout.close(); try? stderr.close() }
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        do {
            try process.run()
        } catch {
            throw MathRenderer.Unavailable("the book has math, but '\(executable)' (Node.js) could not be started "
                                           + "(\(error.localizedDescription)); " + MathRenderer.installHint + ".")
        }
        process.waitUntilExit()
        let output = (try? Data(contentsOf: outURL)) ?? Data()
        let lines = output.split(separator: 0x0A)
        guard process.terminationStatus == 0, lines.count == formulas.count else {
            let message = String(decoding: (try? Data(contentsOf: errURL)) ?? Data(), as: UTF8.self)
                .split(separator: "\n").prefix(3).joined(separator: " ")
            throw MathRenderer.Unavailable("rendering the book's math with KaTeX failed (node exited with status "
                                           + "\(process.terminationStatus)\(message.isEmpty ? "" : ": " + message)); "
                                           + "check that Node.js and libjs-katex work: " + MathRenderer.installHint + ".")
        }
        struct Line: Decodable { var html: String?; var error: String?; var position: Int? }
        return zip(formulas, lines).map { formula, line in
            guard let decoded = try? JSONDecoder().decode(Line.self, from: Data(line)) else {
                return .error(message: "KaTeX gave no result", offset: nil)
            }
            if let html = decoded.html { return .html(html) }
            // KaTeX counts UTF-16 units; the site counts bytes.
            let offset = decoded.position.map { units in
                String(formula.tex.utf16.prefix(units)).map(\.utf8.count) ?? units
            }
            return .error(message: decoded.error ?? "invalid TeX", offset: offset)
        }
    }

    static func findNode() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            for name in ["node", "nodejs"] {
                let candidate = "\(directory)/\(name)"
                if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            }
        }
        return nil
    }

    /// Which KaTeX rendered the cached formulas: its file, size and modification time (a package upgrade
    /// changes them), without reading its 270 KB on every build.
    static func fingerprint(path: String, attributes: [FileAttributeKey: Any]) -> String {
        let size = (attributes[.size] as? NSNumber)?.int64Value ?? -1
        let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        // The renderer script (its KaTeX options) is part of it too.
        let options = SHA256.hash(data: Array(script.utf8)).prefix(8).map { String(format: "%02x", $0) }.joined()
        return "\(path) \(size) \(Int64(modified * 1000)) \(options)"
    }

    /// KaTeX's stylesheet, naming only the `.woff2` fonts (every browser that runs the site reads them), and
    /// those fonts.
    static func assets(katexDirectory: URL, fontsDirectory: URL) throws -> [(path: String, bytes: [UInt8])] {
        let cssURL = katexDirectory.appendingPathComponent("katex.min.css")
        guard let data = FileManager.default.contents(atPath: cssURL.path) else {
            throw MathRenderer.Unavailable("the book has math, but KaTeX's stylesheet \(cssURL.path) is missing; "
                                           + MathRenderer.installHint + ".")
        }
        let css = String(decoding: data, as: UTF8.self).replacingOccurrences(
            of: #",url\(fonts/[A-Za-z0-9_-]+\.(woff|ttf)\) format\('(woff|truetype)'\)"#, with: "",
            options: .regularExpression)
        var files: [(path: String, bytes: [UInt8])] = [(MathRenderer.stylesheetPath, Array(css.utf8))]
        var fonts: Set<String> = []
        var rest = Substring(css)
        while let range = rest.range(of: "url(fonts/") {
            rest = rest[range.upperBound...]
            guard let close = rest.firstIndex(of: ")") else { break }
            fonts.insert(String(rest[..<close]))
            rest = rest[close...]
        }
        for font in fonts.sorted() {
            let url = fontsDirectory.appendingPathComponent(font)
            guard let bytes = FileManager.default.contents(atPath: url.path) else {
                throw MathRenderer.Unavailable("the book has math, but KaTeX's font \(url.path) is missing; "
                                               + MathRenderer.installHint + ".")
            }
            files.append(("assets/katex/fonts/\(font)", Array(bytes)))
        }
        return files
    }
}
