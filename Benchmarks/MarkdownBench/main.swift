// markdown-bench: Markdown rendering throughput of Loopbook's Markdown layer against cmark-gfm.
//
//   markdown-bench [--content Content] [--size 1000000] [--repeats 20] [--processes 20]
//                  [--cmark /usr/bin/cmark-gfm] [--keep FILE]
//   markdown-bench --render-file FILE      (renders one file to stdout, like the cmark-gfm command)
//
// The document is made deterministically from the book's chapters (front matter removed), copied with
// each copy's headings marked "(part N)" until it reaches --size bytes. Everything renders with the same
// extensions (table, strikethrough, autolink, tasklist, tagfilter) and options (--unsafe, --smart,
// --github-pre-lang) that Loopbook uses. Two comparisons, like with like:
//   in-process   Markdown.render (parse, heading anchors, HTML, Swift String) against the same library's
//                C API called directly, as the cmark-gfm command does; processor time, median of --repeats.
//   per process  `markdown-bench --render-file doc.md` against `cmark-gfm … doc.md`, both writing to
//                /dev/null: process start, read, render, write; wall and processor time, median.
// Speed is cmark-gfm's time divided by Loopbook's (1.00 = as fast; the target is at least 0.80).
import CCmarkGFM
import Foundation
import Markdown
import SiteKit
import BookModel
#if canImport(Glibc)
import Glibc
#endif

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ message: String) { description = message }
}

struct Options {
    var content = "Content"
    var size = 1_000_000
    var repeats = 20
    var processes = 20
    var cmark = "/usr/bin/cmark-gfm"
    var keep: String?
    var renderFile: String?

    init(_ arguments: [String]) throws {
        var rest = arguments[...]
        func value(_ flag: String) throws -> String {
            guard let v = rest.popFirst() else { throw BenchError("\(flag) needs a value.") }
            return v
        }
        func number(_ flag: String) throws -> Int {
            let text = try value(flag)
            guard let n = Int(text), n >= 1 else { throw BenchError("\(flag) needs a positive integer, not '\(text)'.") }
            return n
        }
        while let flag = rest.popFirst() {
            switch flag {
            case "--content": content = try value(flag)
            case "--size": size = try number(flag)
            case "--repeats": repeats = try number(flag)
            case "--processes": processes = try number(flag)
            case "--cmark": cmark = try value(flag)
            case "--keep": keep = try value(flag)
            case "--render-file": renderFile = try value(flag)
            case "-h", "--help":
                print("usage: markdown-bench [--content DIR] [--size BYTES] [--repeats N] [--processes N] [--cmark PATH]"
                      + " [--keep FILE] | --render-file FILE")
                exit(0)
            default: throw BenchError("Unknown option '\(flag)'; see --help.")
            }
        }
    }
}

/// The cmark-gfm command-line flags equal to Loopbook's options (Debian's command has no footnotes flag; the book has no footnotes, so the HTML is the same).
let cmarkArguments = ["--unsafe", "--smart", "--github-pre-lang",
                      "-e", "table", "-e", "strikethrough", "-e", "autolink", "-e", "tasklist", "-e", "tagfilter"]

/// A ~`size`-byte document from the chapters in `content`, the same bytes on every run.
func makeDocument(content: String, size: Int) throws -> String {
    let names = try FileManager.default.contentsOfDirectory(atPath: content)
        .filter { $0.hasSuffix(".md") }.sorted()
    guard !names.isEmpty else { throw BenchError("No .md chapters in '\(content)'.") }
    var chapters: [String] = []
    for name in names {
        var text = try String(contentsOfFile: "\(content)/\(name)", encoding: .utf8)
        if text.hasPrefix("---\n"), let end = text.range(of: "\n---\n", range: text.index(text.startIndex, offsetBy: 4)..<text.endIndex) {
            text = String(text[end.upperBound...])
        }
        chapters.append(text)
    }
    var document = ""
    var part = 1
    while document.utf8.count < size {
        for chapter in chapters where document.utf8.count < size {
            let lines = chapter.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
                line.hasPrefix("#") && !line.hasPrefix("#!") ? "\(line) (part \(part))" : String(line)
            }
            document += lines.joined(separator: "\n") + "\n\n"
        }
        part += 1
    }
    return document
}

/// Renders like the cmark-gfm command: the same library's C API, no Swift layer.
func renderWithC(_ source: String) -> Int {
    let options = CMARK_OPT_UNSAFE | CMARK_OPT_GITHUB_PRE_LANG | CMARK_OPT_SMART | CMARK_OPT_FOOTNOTES
    guard let parser = cmark_parser_new(options) else { return 0 }
    defer { cmark_parser_free(parser) }
    for name in ["table", "strikethrough", "autolink", "tasklist", "tagfilter"] {
        if let syntaxExtension = cmark_find_syntax_extension(name) {
            cmark_parser_attach_syntax_extension(parser, syntaxExtension)
        }
    }
    var source = source
    source.withUTF8 { buffer in
        buffer.withMemoryRebound(to: CChar.self) { chars in
            if let base = chars.baseAddress { cmark_parser_feed(parser, base, chars.count) }
        }
    }
    guard let document = cmark_parser_finish(parser) else { return 0 }
    defer { cmark_node_free(document) }
    guard let html = cmark_render_html(document, options, cmark_parser_get_syntax_extensions(parser)) else { return 0 }
    defer { free(html) }
    return strlen(html)
}

func cpuNow() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}

func wallNow() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

struct Sample {
    var wall: Double
    var cpu: Double
}

/// Runs `body` `repeats` times after one warm-up run; processor and wall time of each.
func loop(_ repeats: Int, _ body: () -> Void) -> [Sample] {
    body()
    return (0..<repeats).map { _ in
        let (w, c) = (wallNow(), cpuNow())
        body()
        return Sample(wall: wallNow() - w, cpu: cpuNow() - c)
    }
}

/// Starts `path` with stdout to /dev/null and waits: wall time and the child's user + system time.
func spawn(_ path: String, _ arguments: [String]) throws -> Sample {
    var actions: posix_spawn_file_actions_t = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    var pid: pid_t = 0
    let start = wallNow()
    let status = posix_spawn(&pid, path, &actions, nil, argv, environ)
    guard status == 0 else { throw BenchError("Could not start '\(path)': \(String(cString: strerror(status))).") }
    var exitStatus: Int32 = 0
    var usage = rusage()
    _ = wait4(pid, &exitStatus, 0, &usage)
    let wall = wallNow() - start
    guard exitStatus == 0 else { throw BenchError("'\(path)' exited with status \(exitStatus).") }
    func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
    return Sample(wall: wall, cpu: seconds(usage.ru_utime) + seconds(usage.ru_stime))
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    let mid = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

func describe(_ samples: [Double], bytes: Int) -> String {
    let m = median(samples)
    return String(format: "%7.1f ms  (%5.1f–%5.1f)  %6.1f MB/s", m * 1000, (samples.min() ?? 0) * 1000,
                  (samples.max() ?? 0) * 1000, Double(bytes) / 1e6 / m)
}

func label(_ text: String) -> String { text.padding(toLength: 44, withPad: " ", startingAt: 0) }

do {
    let options = try Options(Array(CommandLine.arguments.dropFirst()))
    if let file = options.renderFile {
        let source = try String(contentsOfFile: file, encoding: .utf8)
        FileHandle.standardOutput.write(Data(Markdown.render(source).html.utf8))
        exit(0)
    }
    guard FileManager.default.isExecutableFile(atPath: options.cmark) else {
        throw BenchError("No cmark-gfm command at '\(options.cmark)' (Debian: apt-get install cmark-gfm).")
    }
    let document = try makeDocument(content: options.content, size: options.size)
    let bytes = document.utf8.count
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("markdown-bench-\(getpid())")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = options.keep ?? directory.appendingPathComponent("document.md").path
    try document.write(toFile: path, atomically: true, encoding: .utf8)

    // The same HTML? Loopbook adds heading anchors; without them the output must equal the command's.
    let ours = Markdown.render(document).html
    let anchors = try NSRegularExpression(pattern: "<a class=\"anchor\" id=\"[^\"]*\" href=\"#[^\"]*\" aria-hidden=\"true\"></a>")
    let stripped = anchors.stringByReplacingMatches(in: ours, range: NSRange(ours.startIndex..., in: ours), withTemplate: "")
    let command = Process()
    command.executableURL = URL(fileURLWithPath: options.cmark)
    command.arguments = cmarkArguments + [path]
    let pipe = Pipe()
    command.standardOutput = pipe
    try command.run()
    let theirs = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    command.waitUntilExit()
    let same = stripped == theirs

    let swiftLoop = loop(options.repeats) { _ = Markdown.render(document) }
    let cLoop = loop(options.repeats) { _ = renderWithC(document) }
    let blocksLoop = loop(options.repeats) { _ = Markdown.blocks(in: document) }
    // The whole chapter pipeline: one document with its values, links, callouts, code blocks and the page.
    let chapter = ExecutedChapter(
        chapter: Chapter(path: "Content/01-bench.md", slug: "01-bench", number: 1, title: "Bench", markdown: document, steps: []),
        result: ChapterResult(steps: []), status: .cached)
    let pageLoop = loop(options.repeats) { _ = try? SiteRenderer(book: BookInfo(title: "Bench")).render([chapter]) }
    let me = CommandLine.arguments[0].hasPrefix("/") ? CommandLine.arguments[0]
        : FileManager.default.currentDirectoryPath + "/" + CommandLine.arguments[0]
    var ourProcesses: [Sample] = [], theirProcesses: [Sample] = []
    _ = try spawn(me, ["--render-file", path])
    _ = try spawn(options.cmark, cmarkArguments + [path])
    for _ in 0..<options.processes {  // interleaved, so a burst of load from elsewhere hits both sides
        ourProcesses.append(try spawn(me, ["--render-file", path]))
        theirProcesses.append(try spawn(options.cmark, cmarkArguments + [path]))
    }

    print("Markdown rendering: \(bytes) bytes (the book's \(try FileManager.default.contentsOfDirectory(atPath: options.content).filter { $0.hasSuffix(".md") }.count) chapters, repeated), "
          + "\(ours.utf8.count) bytes of HTML; cmark-gfm \(cmarkVersion())")
    print("Same HTML as `cmark-gfm \(cmarkArguments.joined(separator: " "))` once heading anchors are removed: \(same ? "yes" : "NO")")
    print("Medians (min–max); in-process: \(options.repeats) renders, processor time; per process: \(options.processes) runs each, interleaved.")
    print("")
    print(label("in-process") + "   median     (range)      throughput")
    print(label("  Loopbook Markdown.render") + describe(swiftLoop.map(\.cpu), bytes: bytes))
    print(label("  cmark-gfm C API (as the command does)") + describe(cLoop.map(\.cpu), bytes: bytes))
    print(label("  Loopbook Markdown.blocks (parse only)") + describe(blocksLoop.map(\.cpu), bytes: bytes))
    print(label("  Loopbook chapter page (SiteRenderer)") + describe(pageLoop.map(\.cpu), bytes: bytes))
    print(label("per process, wall") )
    print(label("  markdown-bench --render-file") + describe(ourProcesses.map(\.wall), bytes: bytes))
    print(label("  cmark-gfm command") + describe(theirProcesses.map(\.wall), bytes: bytes))
    print(label("per process, processor (user + system)"))
    print(label("  markdown-bench --render-file") + describe(ourProcesses.map(\.cpu), bytes: bytes))
    print(label("  cmark-gfm command") + describe(theirProcesses.map(\.cpu), bytes: bytes))
    print("")
    func speed(_ ours: [Sample], _ theirs: [Sample], _ key: KeyPath<Sample, Double>) -> String {
        let value = median(theirs.map { $0[keyPath: key] }) / median(ours.map { $0[keyPath: key] })
        return String(format: "%.2f× (%3.0f %%, %@)", value, value * 100, value >= 0.8 ? "meets ≥ 80 %" : "misses ≥ 80 %")
    }
    print("Loopbook's speed relative to cmark-gfm (cmark-gfm time / Loopbook time; target ≥ 0.80):")
    print(label("  in-process, processor time") + speed(swiftLoop, cLoop, \.cpu))
    print(label("  chapter page, processor time") + speed(pageLoop, cLoop, \.cpu))
    print(label("  per process, wall time") + speed(ourProcesses, theirProcesses, \.wall))
    print(label("  per process, processor time") + speed(ourProcesses, theirProcesses, \.cpu))
} catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(1)
}

func cmarkVersion() -> String { String(cString: cmark_version_string()) }
