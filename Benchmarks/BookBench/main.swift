// book-bench: times the real `loopbook build` command on a copy of the book, and (optionally) the same
// small generated book built by Loopbook and by Jupyter Book 1.
//
//   book-bench [--tool .build/release/loopbook] [--content Content] [--runs 5] [--chapter 04-the-model]
//              [--jupyter-book PATH] [--peer-runs 5] [--skip-book] [--skip-peers]
//              [--scale-chapters 1000] [--skip-scale] [--scale-print true|false]
//
// Everything runs on copies in a temporary folder; the repository is not touched. Each scenario is the
// real command started as a process (posix_spawn + wait4): wall time, processor time (user + system of the
// command and all its children) and the peak resident size reported by wait4 (what `/usr/bin/time -v`
// prints as "Maximum resident set size": the largest single process of the tree). One extra cold build
// is sampled every 20 ms through /proc to see the command's own peak, its largest child and the whole tree.
//
// Scenarios (each `--runs` times, medians and ranges):
//   cold            no .loopbook/ and no Site/: every chapter compiles and runs, swiftc's module cache is
//                   empty too (it lives in .loopbook/cache/module-cache). The tool itself is already built.
//   cold --force    `loopbook build --force`: every chapter compiles and runs, module cache warm.
//   no-op           nothing changed.
//   one-step edit   a new line `_ = N` in the first ```swift step of --chapter (N differs every run).
//   prose-only edit a sentence added to the first prose line of --chapter (line count unchanged).
//
// The scale book (`--scale-chapters`, 1,000 by default): generated prose chapters, no code. Cold build,
// no-op rebuild, a prose edit of one chapter and a title edit of one chapter (which changes the shared
// chapter list, toc.js, and the two neighbours' pagers), then the site's size against the prose's, by kind
// of file. Then the shape of the a22 case (2,000 chapters of ~0.6 KB, as its generate.py writes them):
// its site size, cold and no-op build.
import Foundation
#if canImport(Glibc)
import Glibc
#endif

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ message: String) { description = message }
}

struct Options {
    var tool = ".build/release/loopbook"
    var content = "Content"
    var runs = 5
    var chapter = "04-the-model"
    var jupyterBook: String?
    var peerRuns = 5
    var book = true
    var peers = true
    var scaleChapters = 1000
    var scale = true
    /// `print:` in the scale book's book.yml (nil: not set, so the site decides by the number of chapters).
    var scalePrint: Bool?

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
            case "--tool": tool = try value(flag)
            case "--content": content = try value(flag)
            case "--runs": runs = try number(flag)
            case "--chapter": chapter = try value(flag)
            case "--jupyter-book": jupyterBook = try value(flag)
            case "--peer-runs": peerRuns = try number(flag)
            case "--skip-book": book = false
            case "--skip-peers": peers = false
            case "--scale-chapters": scaleChapters = try number(flag)
            case "--skip-scale": scale = false
            case "--scale-print":
                let text = try value(flag)
                guard text == "true" || text == "false" else { throw BenchError("--scale-print takes true or false, not '\(text)'.") }
                scalePrint = text == "true"
            case "-h", "--help":
                print("usage: book-bench [--tool PATH] [--content DIR] [--runs N] [--chapter SLUG]"
                      + " [--jupyter-book PATH] [--peer-runs N] [--skip-book] [--skip-peers]"
                      + " [--scale-chapters N] [--skip-scale] [--scale-print true|false]")
                exit(0)
            default: throw BenchError("Unknown option '\(flag)'; see --help.")
            }
        }
    }
}

let fileManager = FileManager.default

// MARK: - Running a command

struct Run {
    var wall: Double
    var cpu: Double
    /// wait4's ru_maxrss in bytes: the largest single process of the tree.
    var maxRSS: Double
}

func wallNow() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

/// Peak resident sizes seen by polling /proc while a command runs.
final class TreeSampler: @unchecked Sendable {
    private let lock = NSLock()
    private var stopped = false
    private(set) var rootPeak = 0.0, childPeak = 0.0, treePeak = 0.0

    func start(root: pid_t) {
        let thread = Thread { [self] in
            let page = Double(sysconf(Int32(_SC_PAGESIZE)))
            while !lock.withLock({ stopped }) {
                let table = Self.processes()
                var children: [pid_t: [pid_t]] = [:]
                for (pid, entry) in table { children[entry.ppid, default: []].append(pid) }
                var stack = [root], total = 0.0, largestChild = 0.0
                while let pid = stack.popLast() {
                    let rss = Double(table[pid]?.rss ?? 0) * page
                    total += rss
                    if pid != root { largestChild = max(largestChild, rss) }
                    stack += children[pid] ?? []
                }
                let own = Double(table[root]?.rss ?? 0) * page
                lock.withLock {
                    rootPeak = max(rootPeak, own)
                    childPeak = max(childPeak, largestChild)
                    treePeak = max(treePeak, total)
                }
                usleep(20_000)
            }
        }
        thread.start()
    }

    func stop() { lock.withLock { stopped = true } }

    /// pid → (parent, resident pages) for every process in /proc.
    static func processes() -> [pid_t: (ppid: pid_t, rss: Int)] {
        var result: [pid_t: (ppid: pid_t, rss: Int)] = [:]
        for name in (try? fileManager.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = pid_t(name),
                  let stat = try? String(contentsOfFile: "/proc/\(name)/stat", encoding: .utf8),
                  let close = stat.range(of: ")", options: .backwards) else { continue }
            // Fields after "(comm)": state ppid ... ; rss is field 24 overall, i.e. index 21 here.
            let fields = stat[close.upperBound...].split(separator: " ")
            guard fields.count > 21, let ppid = pid_t(fields[1]), let rss = Int(fields[21]) else { continue }
            result[pid] = (ppid, rss)
        }
        return result
    }
}

/// Starts `arguments[0]` in `directory` with output to `log` and waits for it.
func run(_ arguments: [String], in directory: String, log: String, environment: [String: String] = [:],
         sampler: TreeSampler? = nil) throws -> Run {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_adddup2(&actions, 1, 2)
    var env = ProcessInfo.processInfo.environment
    env.merge(environment) { $1 }
    let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
    let envp: [UnsafeMutablePointer<CChar>?] = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer { argv.forEach { free($0) }; envp.forEach { free($0) } }
    let previous = fileManager.currentDirectoryPath
    guard fileManager.changeCurrentDirectoryPath(directory) else { throw BenchError("Cannot enter '\(directory)'.") }
    defer { _ = fileManager.changeCurrentDirectoryPath(previous) }
    var pid: pid_t = 0
    let start = wallNow()
    let status = posix_spawnp(&pid, arguments[0], &actions, nil, argv, envp)
    guard status == 0 else { throw BenchError("Could not start '\(arguments[0])': \(String(cString: strerror(status))).") }
    sampler?.start(root: pid)
    var exitStatus: Int32 = 0
    var usage = rusage()
    _ = wait4(pid, &exitStatus, 0, &usage)
    let wall = wallNow() - start
    sampler?.stop()
    guard exitStatus == 0 else {
        let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        throw BenchError("'\(arguments.joined(separator: " "))' failed (wait status \(exitStatus)):\n\(output.suffix(3000))")
    }
    func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
    return Run(wall: wall, cpu: seconds(usage.ru_utime) + seconds(usage.ru_stime), maxRSS: Double(usage.ru_maxrss) * 1024)
}

// MARK: - Files

func read(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }
func write(_ text: String, _ path: String) throws { try text.write(toFile: path, atomically: true, encoding: .utf8) }
func remove(_ path: String) { try? fileManager.removeItem(atPath: path) }

/// Bytes and files under `path`.
func treeSize(_ path: String) -> (bytes: Int, files: Int) {
    var bytes = 0, files = 0
    guard let walker = fileManager.enumerator(atPath: path) else { return (0, 0) }
    while walker.nextObject() != nil {
        let attributes = walker.fileAttributes
        if attributes?[.type] as? FileAttributeType == .typeRegular {
            bytes += (attributes?[.size] as? Int) ?? 0
            files += 1
        }
    }
    return (bytes, files)
}

/// Adds `_ = N` (valid Swift and Python) as the last line of the first step opened by `fence`.
func editStep(_ text: String, _ n: Int, fence: String) throws -> String {
    var lines = text.components(separatedBy: "\n")
    guard let open = lines.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == fence }),
          let close = lines[(open + 1)...].firstIndex(where: { $0.hasPrefix("```") }) else {
        throw BenchError("The chapter has no '\(fence)' step to edit.")
    }
    lines.insert("_ = \(n)", at: close)
    return lines.joined(separator: "\n")
}

/// Appends a sentence to the first prose line (after front matter, not a heading, not in a fence).
func editProse(_ text: String, _ n: Int, sentence: String = "This sentence is edit") throws -> String {
    var lines = text.components(separatedBy: "\n")
    var index = 0, inFence = false, inFrontMatter = lines.first == "---"
    if inFrontMatter { index = 1 }
    while index < lines.count {
        let line = lines[index]
        if inFrontMatter {
            if line == "---" { inFrontMatter = false }
        } else if line.hasPrefix("```") {
            inFence.toggle()
        } else if !inFence, !line.isEmpty, !line.hasPrefix("#"), !line.hasPrefix("-"), !line.hasPrefix("|"),
                  !line.hasPrefix(">"), !line.hasPrefix("<"), !line.hasPrefix(":"), !line.hasPrefix("{") {
            lines[index] = line + " \(sentence) \(n)."
            return lines.joined(separator: "\n")
        }
        index += 1
    }
    throw BenchError("The chapter has no prose line to edit.")
}

// MARK: - Statistics and printing

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    let mid = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

func pad(_ text: String, _ width: Int, left: Bool = false) -> String {
    let gap = String(repeating: " ", count: max(0, width - text.count))
    return left ? text + gap : gap + text
}

func secs(_ v: Double) -> String { v < 10 ? String(format: "%.2f s", v) : String(format: "%.1f s", v) }
func range(_ values: [Double]) -> String {
    String(format: values.max() ?? 0 < 10 ? "%.2f–%.2f" : "%.1f–%.1f", values.min() ?? 0, values.max() ?? 0)
}
func mib(_ bytes: Double) -> String { String(format: "%.0f MiB", bytes / 1_048_576) }

struct Scenario {
    var name: String
    var runs: [Run] = []
    var note = ""
}

func printScenarios(_ scenarios: [Scenario]) {
    print([pad("scenario", 33, left: true), pad("median", 9), pad("range (s)", 12), pad("cpu median", 11),
           pad("max RSS", 9), "  what ran (first run)"].joined(separator: " "))
    for s in scenarios {
        print([pad(s.name, 33, left: true), pad(secs(median(s.runs.map(\.wall))), 9), pad(range(s.runs.map(\.wall)), 12),
               pad(secs(median(s.runs.map(\.cpu))), 11), pad(mib(median(s.runs.map(\.maxRSS))), 9), "  " + s.note]
            .joined(separator: " "))
    }
}

/// Runs the four scenarios on a prepared book folder.
struct Book {
    var root: String
    var chapterPath: String
    var stepFence = "```swift"
    var command: [String]
    var environment: [String: String] = [:]
    var coldReset: [String]
    var forceCommand: [String]?
    var summarize: (String) -> String

    func measure(runs: Int, startEdit: Int) throws -> [Scenario] {
        let log = root + "/../build-\(UUID().uuidString.prefix(8)).log"
        var cold = Scenario(name: "cold (caches empty)")
        for _ in 0..<runs {
            coldReset.forEach { remove(root + "/" + $0) }
            cold.runs.append(try run(command, in: root, log: log, environment: environment))
            if cold.note.isEmpty { cold.note = summarize(try read(log)) }
        }
        var force: Scenario?
        if let forceCommand {
            var s = Scenario(name: "cold --force (module cache warm)")
            for _ in 0..<runs {
                s.runs.append(try run(forceCommand, in: root, log: log, environment: environment))
                if s.note.isEmpty { s.note = summarize(try read(log)) }
            }
            force = s
        }
        var noop = Scenario(name: "no-op rebuild")
        for _ in 0..<runs {
            noop.runs.append(try run(command, in: root, log: log, environment: environment))
            if noop.note.isEmpty { noop.note = summarize(try read(log)) }
        }
        let original = try read(chapterPath)
        var step = Scenario(name: "one-step edit")
        for i in 0..<runs {
            try write(try editStep(original, startEdit + i, fence: stepFence), chapterPath)
            step.runs.append(try run(command, in: root, log: log, environment: environment))
            if step.note.isEmpty { step.note = summarize(try read(log)) }
        }
        let edited = try read(chapterPath)
        var prose = Scenario(name: "prose-only edit")
        for i in 0..<runs {
            try write(try editProse(edited, startEdit + i), chapterPath)
            prose.runs.append(try run(command, in: root, log: log, environment: environment))
            if prose.note.isEmpty { prose.note = summarize(try read(log)) }
        }
        remove(log)
        return [cold] + (force.map { [$0] } ?? []) + [noop, step, prose]
    }
}

/// "ran: 04-the-model, 07-…" from loopbook's one line per chapter.
func loopbookSummary(_ output: String) -> String {
    var ran: [String] = [], cached = 0
    for line in output.split(separator: "\n") {
        let text = line.trimmingCharacters(in: .whitespaces)
        guard let slug = text.split(separator: " ").first(where: { $0.first?.isNumber == true && $0.contains("-") }) else { continue }
        if text.contains("cached") { cached += 1 } else if text.contains("ran") || text.contains("run") { ran.append(String(slug)) }
    }
    if ran.isEmpty { return "nothing ran (\(cached) cached)" }
    if cached == 0 { return "all \(ran.count) ran" }
    return "\(ran.count) ran (\(ran.joined(separator: ", "))), \(cached) cached"
}

/// The summary line a build prints last (e.g. "Built 1000 chapters …").
func lastLine(_ output: String) -> String {
    let line = output.split(separator: "\n").last.map(String.init) ?? ""
    return line.count > 90 ? String(line.prefix(90)) + "…" : line
}

/// The jupyter-cache's view: how many notebooks were executed.
func jupyterSummary(_ output: String) -> String {
    let executed = output.components(separatedBy: "Executing notebook").count - 1
    return executed == 0 ? "nothing executed" : "executed \(executed) notebook\(executed == 1 ? "" : "s")"
}

// MARK: - The generated 8-chapter book, in both tools

/// Chapter `number` in Loopbook's Markdown: four small steps, a table each (the notebook-bench shape).
func loopbookChapter(_ number: Int) -> String {
    var text = "---\ntitle: Chapter \(number)\n---\n# Chapter \(number)\n\nProse for chapter \(number). The model learns from its mistakes.\n"
    for step in 1...4 {
        text += """

            ```swift
            let values\(step) = (0..<200).map { Double(($0 * \(step + number)) % 97) / 97.0 }
            let mean\(step) = values\(step).reduce(0, +) / Double(values\(step).count)
            print("step \(step) mean", mean\(step))
            show(values\(step).prefix(5).map { (value: $0, squared: $0 * $0) }, title: "Values")
            ```

            Some prose between steps.

            """
    }
    return text
}

/// The same chapter as a MyST Markdown notebook for Jupyter Book, in Python with numpy.
func jupyterChapter(_ number: Int) -> String {
    var text = """
        ---
        jupytext:
          text_representation:
            extension: .md
            format_name: myst
        kernelspec:
          display_name: Python 3
          language: python
          name: python3
        ---
        # Chapter \(number)

        Prose for chapter \(number). The model learns from its mistakes.

        """
    for step in 1...4 {
        text += """

            ```{code-cell} ipython3
            import numpy as np
            values\(step) = (np.arange(200) * \(step + number) % 97) / 97.0
            mean\(step) = values\(step).mean()
            print("step \(step) mean", mean\(step))
            np.column_stack([values\(step)[:5], values\(step)[:5] ** 2])
            ```

            Some prose between steps.

            """
    }
    return text
}

func makeLoopbookBook(_ root: String) throws -> String {
    try fileManager.createDirectory(atPath: root + "/Content", withIntermediateDirectories: true)
    try write("title: Benchmark book\n", root + "/Content/book.yml")
    for n in 1...8 { try write(loopbookChapter(n), root + String(format: "/Content/%02d-chapter.md", n)) }
    return root + "/Content/05-chapter.md"
}

func makeJupyterBook(_ root: String) throws -> String {
    try fileManager.createDirectory(atPath: root, withIntermediateDirectories: true)
    try write("""
        title: Benchmark book
        author: bench
        only_build_toc_files: true
        execute:
          execute_notebooks: cache
        """ + "\n", root + "/_config.yml")
    var toc = "format: jb-book\nroot: intro\nchapters:\n"
    for n in 1...8 {
        let name = String(format: "%02d-chapter", n)
        try write(jupyterChapter(n), "\(root)/\(name).md")
        toc += "- file: \(name)\n"
    }
    try write(toc, root + "/_toc.yml")
    try write("# Benchmark book\n\nEight chapters.\n", root + "/intro.md")
    return root + "/05-chapter.md"
}

// MARK: - The scale book: many prose chapters

/// Prose chapter `number` of `count` (~4 KB of Markdown, a typical documentation page): front matter, four sections of ordinary
/// paragraphs, a list and a link to the previous chapter. No code, so a build only loads, renders and
/// publishes.
func scaleChapter(_ number: Int, of count: Int) -> String {
    let sentence = "The forest is retrained on the corrected labels, and its accuracy is measured again on data it has not seen."
    let paragraph = (0..<3).map { _ in sentence }.joined(separator: " ")
    var text = "---\ntitle: Chapter \(number)\nsummary: What round \(number) of the feedback loop changes, and why.\n---\n"
    text += "# Chapter \(number)\n\nThis is chapter \(number) of \(count). \(paragraph)\n\n"
    for section in ["The data", "The model", "The feedback", "What changed"] {
        text += "## \(section)\n\n\(paragraph) \(paragraph)\n\n\(paragraph)\n\n"
    }
    text += "- a first point about round \(number)\n- a second point\n- a third point\n\n"
    if number > 1 {
        text += "Read [the previous chapter](\(scaleSlug(number - 1)).md#the-model) first.\n"
    }
    return text
}

func scaleSlug(_ number: Int) -> String { String(format: "%04d-chapter-%d", number, number) }

/// The a22 case's chapter, exactly as its generate.py writes it (~0.6 KB).
func a22Chapter(_ number: Int) -> String {
    "# Chapter \(number)\n\nSome prose for chapter \(number). " + String(repeating: "Lorem ipsum dolor sit amet. ", count: 20)
        + "\n\n## Section A\n\nMore text.\n"
}

/// Writes `count` chapters made by `chapter` into `root/Content`; returns the prose bytes (the .md files).
func makeProseBook(_ root: String, count: Int, chapter: (Int, Int) -> String, print: Bool? = nil) throws -> Int {
    try fileManager.createDirectory(atPath: root + "/Content", withIntermediateDirectories: true)
    try write("title: Scale book\n" + (print.map { "print: \($0)\n" } ?? ""), root + "/Content/book.yml")
    var bytes = 0
    for n in 1...count {
        let text = chapter(n, count)
        bytes += text.utf8.count
        try write(text, root + "/Content/\(scaleSlug(n)).md")
    }
    return bytes
}

/// Bytes of the site by kind: chapter and other pages, the search index, the chapter list, the rest.
func siteBreakdown(_ site: String) -> [(String, Int)] {
    var pages = 0, search = 0, toc = 0, other = 0
    for name in (try? fileManager.contentsOfDirectory(atPath: site)) ?? [] {
        let size = ((try? fileManager.attributesOfItem(atPath: site + "/" + name))?[.size] as? Int) ?? 0
        if name.hasSuffix(".html") { pages += size }
        else if name.hasPrefix("search-index") { search += size }
        else if name == "toc.js" { toc += size }
        else { other += size }
    }
    let total = treeSize(site).bytes
    return [("pages (*.html)", pages), ("search index", search), ("toc.js", toc), ("everything else", total - pages - search - toc)]
}

func megabytes(_ bytes: Int) -> String { String(format: "%.2f MB", Double(bytes) / 1e6) }

// MARK: - Main

do {
    let options = try Options(Array(CommandLine.arguments.dropFirst()))
    let cwd = fileManager.currentDirectoryPath
    let tool = options.tool.hasPrefix("/") ? options.tool : cwd + "/" + options.tool
    guard fileManager.isExecutableFile(atPath: tool) else { throw BenchError("No loopbook command at '\(tool)'; run 'make tool' first.") }
    let base = fileManager.temporaryDirectory.appendingPathComponent("book-bench-\(getpid())").path
    try fileManager.createDirectory(atPath: base, withIntermediateDirectories: true)
    defer { remove(base) }
    let cores = ProcessInfo.processInfo.activeProcessorCount

    if options.book {
        let root = base + "/book"
        try fileManager.createDirectory(atPath: root, withIntermediateDirectories: true)
        let content = options.content.hasPrefix("/") ? options.content : cwd + "/" + options.content
        try fileManager.copyItem(atPath: content, toPath: root + "/Content")
        let chapters = try fileManager.contentsOfDirectory(atPath: root + "/Content").filter { $0.hasSuffix(".md") }.count
        let book = Book(root: root, chapterPath: "\(root)/Content/\(options.chapter).md", command: [tool, "build"],
                        coldReset: [".loopbook", "Site"], forceCommand: [tool, "build", "--force"], summarize: loopbookSummary)
        FileHandle.standardError.write(Data("[book-bench] the book: \(chapters) chapters, \(options.runs) runs per scenario\n".utf8))
        let scenarios = try book.measure(runs: options.runs, startEdit: 1000)
        // One more cold build, sampled, for memory.
        remove(root + "/.loopbook"); remove(root + "/Site")
        let sampler = TreeSampler()
        let sampled = try run([tool, "build"], in: root, log: base + "/sampled.log", sampler: sampler)
        let site = treeSize(root + "/Site")
        print("The book (\(options.content)/, \(chapters) chapters) built with `loopbook build` on a copy; \(options.runs) runs per scenario,")
        print("edits in \(options.chapter); \(cores) cores. Wall time median and range; cpu = user + system of loopbook and its children.")
        print("")
        printScenarios(scenarios)
        print("")
        print("Peak resident size of a cold build: \(mib(sampled.maxRSS)) (wait4 ru_maxrss, as /usr/bin/time -v: largest single process);")
        print("sampled every 20 ms: loopbook itself \(mib(sampler.rootPeak)), largest child \(mib(sampler.childPeak)),"
              + " whole tree at once \(mib(sampler.treePeak)).")
        print("Site/: \(String(format: "%.2f MB", Double(site.bytes) / 1e6)) in \(site.files) files.")
        print("")
    }

    if options.peers {
        let loopbookRoot = base + "/gen-loopbook"
        let loopbookChapterPath = try makeLoopbookBook(loopbookRoot)
        let ours = Book(root: loopbookRoot, chapterPath: loopbookChapterPath, command: [tool, "build"],
                        coldReset: [".loopbook", "Site"], forceCommand: nil, summarize: loopbookSummary)
        FileHandle.standardError.write(Data("[book-bench] generated 8-chapter book with loopbook\n".utf8))
        let oursScenarios = try ours.measure(runs: options.peerRuns, startEdit: 2000)
        let oursSite = treeSize(loopbookRoot + "/Site")
        var theirsScenarios: [Scenario]?
        var theirsSite = (bytes: 0, files: 0)
        var jupyterVersion = ""
        if let given = options.jupyterBook, case let jb = given.hasPrefix("/") ? given : cwd + "/" + given,
           fileManager.isExecutableFile(atPath: jb) {
            let jupyterRoot = base + "/gen-jupyter"
            let chapterPath = try makeJupyterBook(jupyterRoot)
            let bin = (jb as NSString).deletingLastPathComponent
            let environment = ["PATH": bin + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")]
            let theirs = Book(root: jupyterRoot, chapterPath: chapterPath, stepFence: "```{code-cell} ipython3", command: [jb, "build", "-v", "."],
                              environment: environment, coldReset: ["_build"], forceCommand: nil, summarize: jupyterSummary)
            FileHandle.standardError.write(Data("[book-bench] generated 8-chapter book with jupyter-book\n".utf8))
            theirsScenarios = try theirs.measure(runs: options.peerRuns, startEdit: 3000)
            theirsSite = treeSize(jupyterRoot + "/_build/html")
            _ = try run([jb, "--version"], in: jupyterRoot, log: base + "/version.log", environment: environment)
            jupyterVersion = (try read(base + "/version.log")).split(separator: "\n").first
                .map { "Jupyter Book " + ($0.split(separator: ":").last ?? "").trimmingCharacters(in: .whitespaces) } ?? ""
        }
        print("A generated 8-chapter book (4 small steps per chapter: a computation, a print, a 5-row table), \(options.peerRuns) runs;")
        print("edits in chapter 5. Loopbook: Swift steps, `loopbook build`."
              + (theirsScenarios == nil ? " Jupyter Book: not measured (no --jupyter-book)." :
                    " Jupyter Book: the same in Python + numpy as MyST notebooks, `jupyter-book build`, execute_notebooks: cache (\(jupyterVersion))."))
        print("")
        print("Loopbook:")
        printScenarios(oursScenarios)
        print("Site/: \(String(format: "%.2f MB", Double(oursSite.bytes) / 1e6)) in \(oursSite.files) files.")
        if let theirsScenarios {
            print("")
            print("Jupyter Book:")
            printScenarios(theirsScenarios)
            print("_build/html: \(String(format: "%.2f MB", Double(theirsSite.bytes) / 1e6)) in \(theirsSite.files) files.")
            print("")
            print("Jupyter Book time / Loopbook time (wall medians; > 1 means Loopbook is faster):")
            for (a, b) in zip(oursScenarios, theirsScenarios) {
                let r = median(b.runs.map(\.wall)) / median(a.runs.map(\.wall))
                print(pad(a.name, 33, left: true) + String(format: " %6.2f×", r)
                      + "   (\(secs(median(b.runs.map(\.wall)))) vs \(secs(median(a.runs.map(\.wall)))))")
            }
            print(pad("site size", 33, left: true) + String(format: " %6.2f×", Double(theirsSite.bytes) / Double(max(1, oursSite.bytes))))
        }
    }
    if options.scale {
        let count = options.scaleChapters
        let root = base + "/scale"
        let proseBytes = try makeProseBook(root, count: count, chapter: scaleChapter, print: options.scalePrint)
        let edited = "\(root)/Content/\(scaleSlug((count + 1) / 2)).md"
        FileHandle.standardError.write(Data("[book-bench] generated \(count)-chapter prose book\n".utf8))
        let log = base + "/scale.log"
        let build = [tool, "build"]
        var cold = Scenario(name: "cold (no .loopbook/, no Site/)")
        for _ in 0..<options.runs {
            remove(root + "/.loopbook"); remove(root + "/Site")
            cold.runs.append(try run(build, in: root, log: log))
            if cold.note.isEmpty { cold.note = loopbookSummary(try read(log)) }
        }
        var noop = Scenario(name: "no-op rebuild")
        for _ in 0..<options.runs {
            noop.runs.append(try run(build, in: root, log: log))
            if noop.note.isEmpty { noop.note = lastLine(try read(log)) }
        }
        let original = try read(edited)
        var prose = Scenario(name: "one-chapter prose edit")
        for i in 0..<options.runs {
            try write(try editProse(original, 4000 + i), edited)
            prose.runs.append(try run(build, in: root, log: log))
            if prose.note.isEmpty { prose.note = lastLine(try read(log)) }
        }
        var title = Scenario(name: "one-chapter title edit")
        for i in 0..<options.runs {
            let text = try read(edited)
            guard let line = text.components(separatedBy: "\n").first(where: { $0.hasPrefix("title: ") }) else {
                throw BenchError("\(edited) has no title line.")
            }
            try write(text.replacingOccurrences(of: line, with: "title: Chapter \((count + 1) / 2), take \(i + 1)"), edited)
            title.runs.append(try run(build, in: root, log: log))
            if title.note.isEmpty { title.note = lastLine(try read(log)) }
        }
        let site = treeSize(root + "/Site")
        print("A generated \(count)-chapter prose book (no code; ~\(proseBytes / count / 100 * 100) bytes of Markdown per chapter:"
              + " four sections, a list, a link), \(options.runs) runs; edits in chapter \((count + 1) / 2).")
        print("")
        printScenarios([cold, noop, prose, title])
        print("")
        print("Prose (Content/*.md): \(megabytes(proseBytes)); Site/: \(megabytes(site.bytes)) in \(site.files) files = "
              + String(format: "%.2f×", Double(site.bytes) / Double(proseBytes)) + " the prose.")
        for (kind, bytes) in siteBreakdown(root + "/Site") {
            print("  " + pad(kind, 18, left: true) + pad(megabytes(bytes), 10)
                  + String(format: "  %.2f× the prose", Double(bytes) / Double(proseBytes)))
        }
        remove(root)

        // The a22 case's shape: 2,000 tiny chapters.
        let a22 = base + "/a22"
        let a22Prose = try makeProseBook(a22, count: 2000) { n, _ in a22Chapter(n) }
        let a22Cold = try run(build, in: a22, log: log)
        let a22Noop = try run(build, in: a22, log: log)
        let a22Site = treeSize(a22 + "/Site")
        print("")
        print("The a22 case's shape (2,000 chapters of ~0.6 KB, as its generate.py writes them), one run each:"
              + " cold \(secs(a22Cold.wall)) (max RSS \(mib(a22Cold.maxRSS))), no-op \(secs(a22Noop.wall));")
        print("prose \(megabytes(a22Prose)), Site/ \(megabytes(a22Site.bytes)) in \(a22Site.files) files = "
              + String(format: "%.2f×", Double(a22Site.bytes) / Double(a22Prose)) + " the prose.")
        for (kind, bytes) in siteBreakdown(a22 + "/Site") {
            print("  " + pad(kind, 18, left: true) + pad(megabytes(bytes), 10)
                  + String(format: "  %.2f× the prose", Double(bytes) / Double(a22Prose)))
        }
        remove(a22)
        remove(log)
    }
} catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(1)
}
