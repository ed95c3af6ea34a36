import BookModel
import Crypto
import Foundation
import LibrarySources
import SiteKit
import ZIPFoundation

/// Chapters students can take home: each chapter with code that runs offers, under `downloads/` in the site,
/// its Markdown (`downloads/03-the-data.md`) and itself as a runnable Swift package (`downloads/03-the-data.zip`).
///
/// The archive holds one folder named after the chapter with:
/// - `Package.swift`: the chapter's executable and the modules it builds on (`BookModel`, `ChartSVG`, `Learning`,
///   `LoopbookRuntime`), whose sources are in the archive too, so `swift build` needs nothing but Swift;
/// - `Sources/Chapter/main.swift`: the chapter's steps in order as the engine compiles them (runnable steps
///   only; `expect-error` steps are left out, as they fail by design), and `Content/shared/`'s Swift files;
/// - `data/`: a copy of the whole `Content/data/` (each chapter program gets all of it in the engine too),
///   and at the top the files of the chapters it `depends-on`, as its program finds them in the engine;
/// - the chapter's Markdown and a `README.md` that says how to run it.
///
/// `swift run` there prints what the page shows: text output as is, tables and values as text, and each chart
/// written as an SVG file whose name it prints.
///
/// The student edition leaves every `swift solution` step out of both files; the teacher edition keeps them
/// in the Markdown and adds each solution to the program as a comment below its exercise.
///
/// Archives are byte-reproducible: entries in sorted path order, every timestamp 1980-01-01 00:00 UTC, files
/// 0644, deflated by zlib. Each is cached in the page store under a key over everything it is made of (the
/// chapter's Markdown, the shared code, the data, the dependencies' files, the library sources and the
/// edition), so an archive is built again exactly when one of those changes; when the published site
/// already holds it, it is not even read.
struct ChapterDownloads {
    static let folder = "downloads"
    static let format = "loopbook chapter download 1"
    /// The timestamp of every entry: the earliest a ZIP file can say (MS-DOS time), 1980-01-01 00:00 UTC.
    static let timestamp = Date(timeIntervalSince1970: 315_532_800)

    var content: URL
    var edition: Edition
    var sharedCode: [SourceFile]
    /// SHA-256 of `Content/data/` (nil: no data folder), as the notebook computed it.
    var dataDigest: String?

    /// Whether `chapter` offers downloads: it has a step that runs.
    static func offers(_ chapter: Chapter) -> Bool {
        chapter.steps.contains { !$0.flags.norun }
    }

    /// Adds the downloads of `chapters` to `files` and returns the links each page shows.
    ///
    /// - Throws: the errors of reading the chapter or the data, or of making the archive.
    /// `chapters` are the book's chapters as loaded; `executed` their results (for the files of the chapters
    /// one depends on); a chapter without a result offers nothing.
    func add(_ chapters: [Chapter], executed: [ExecutedChapter], into files: inout SiteFiles, store: PageStore?,
             counts: inout SiteBuilder.DownloadCounts) throws -> [String: ChapterDownloadLinks] {
        var links: [String: ChapterDownloadLinks] = [:]
        let results = Dictionary(executed.map { ($0.chapter.slug, $0) }, uniquingKeysWith: { first, _ in first })
        // The chapters as written (a build that runs the solutions changes the exercises' code).
        for chapter in chapters where Self.offers(chapter) && results[chapter.slug] != nil {
            let name = String(chapter.path.split(separator: "/").last ?? Substring(chapter.path))
            let source = try Data(contentsOf: content.appendingPathComponent(name))
            let markdown = edition == .student ? Self.withoutSolutions([UInt8](source), chapter: chapter) : [UInt8](source)
            let markdownPath = "\(Self.folder)/\(chapter.slug).md"
            let archivePath = "\(Self.folder)/\(chapter.slug).zip"
            var dependencyFiles: [Artifact] = []
            for slug in chapter.dependsOn { dependencyFiles += results[slug]?.result.artifacts ?? [] }
            let program = Self.program(chapter, edition: edition)
            let key = archiveKey(chapter: chapter, markdown: markdown, program: program, dependencyFiles: dependencyFiles)

            Self.put(markdownPath, markdown, into: &files, store: store)
            let size: Int
            if let store, let cached = Self.cached(key, path: archivePath, in: store, files: &files) {
                size = cached
                counts.cached += 1
            } else {
                let zip = try archive(chapter: chapter, markdown: markdown, program: program, dependencyFiles: dependencyFiles)
                let digest = Self.digest(zip)
                store?.store(Array("\(Self.format) \(key) \(digest) \(zip.count)\n".utf8) + zip, for: "download " + key)
                files.set(archivePath, bytes: zip, digest: digest)
                size = zip.count
                counts.built += 1
            }
            links[chapter.slug] = ChapterDownloadLinks(archivePath: archivePath, archiveSize: size, markdownPath: markdownPath)
        }
        return links
    }

    /// The files of `Content/` the site publishes (`contentFiles`) that would take the place of a download.
    ///
    /// - Throws: `SiteError.located` at the first such file, saying how to resolve it.
    static func checkConflicts(_ links: [String: ChapterDownloadLinks], contentFiles: [String]) throws {
        let paths = Set(links.values.flatMap { [$0.archivePath, $0.markdownPath].compactMap { $0 } })
        for path in contentFiles where paths.contains(path) {
            throw SiteError.located(Diagnostic(file: "Content/\(path)", line: 1,
                                               message: "this file would take the place of a chapter's download (\(path)), which the site makes itself; rename it or move it into another folder, or set 'downloads: false' in book.yml."))
        }
    }

    /// Puts the Markdown in the site; when the store vouches the published site holds these very bytes, they
    /// are left where they are (the publisher does not read them).
    static func put(_ path: String, _ bytes: [UInt8], into files: inout SiteFiles, store: PageStore?) {
        let digest = digest(bytes)
        if let store, store.publishedDigest(of: path) == digest {
            files.keep(path, size: bytes.count, digest: digest, load: { bytes })
        } else {
            files.set(path, bytes: bytes, digest: digest)
        }
    }

    /// The cached archive for `key`, put into `files` (kept in place when the published site holds it);
    /// returns its size, or nil when the cache has no entry that verifies.
    static func cached(_ key: String, path: String, in store: PageStore, files: inout SiteFiles) -> Int? {
        let storeKey = "download " + key
        guard let prefix = store.loadPrefix(storeKey, count: 400), let newline = prefix.firstIndex(of: 0x0A) else { return nil }
        let header = String(decoding: prefix[..<newline], as: UTF8.self).split(separator: " ")
        let formatWords = format.split(separator: " ").count
        guard header.count == formatWords + 3, header.prefix(formatWords).joined(separator: " ") == format,
              header[formatWords] == key, let size = Int(header[formatWords + 2]) else { return nil }
        let digest = String(header[formatWords + 1])
        let offset = newline + 1
        let load: @Sendable () -> [UInt8]? = {
            guard let bytes = store.load(storeKey), bytes.count == offset + size else { return nil }
            let zip = Array(bytes[offset...])
            return Self.digest(zip) == digest ? zip : nil
        }
        if store.publishedDigest(of: path) == digest {
            files.keep(path, size: size, digest: digest, load: load)
            return size
        }
        guard let zip = load() else { return nil }
        files.set(path, bytes: zip, digest: digest)
        return size
    }

    // MARK: - What goes in

    /// The key of an archive: a SHA-256 over everything it is made of.
    func archiveKey(chapter: Chapter, markdown: [UInt8], program: String, dependencyFiles: [Artifact]) -> String {
        var hasher = SHA256()
        func field(_ bytes: some Collection<UInt8>) {
            hasher.update(data: Array("\(bytes.count):".utf8))
            hasher.update(data: Array(bytes))
        }
        field(Array(Self.format.utf8))
        field(Array(edition.rawValue.utf8))
        field(Array(chapter.slug.utf8))
        field(markdown)
        field(Array(program.utf8))
        field(Array(String(sharedCode.count).utf8))
        for file in sharedCode { field(Array(file.path.utf8)); field(Array(file.contents.utf8)) }
        field(Array((dataDigest ?? "-").utf8))
        field(Array(String(dependencyFiles.count).utf8))
        for file in dependencyFiles { field(Array(file.name.utf8)); field(Array(SHA256.hash(data: file.contents))) }
        field(Array(Self.libraryDigest.utf8))
        return Self.hex(Array(hasher.finalize()))
    }

    /// SHA-256 over the embedded library sources (paths and contents), computed once per process.
    static let libraryDigest: String = {
        var hasher = SHA256()
        for file in LibrarySources.files {
            hasher.update(data: Array("\(file.path)\n\(file.contents.count)\n".utf8))
            hasher.update(data: file.contents)
        }
        return hex(Array(hasher.finalize()))
    }()

    /// The chapter's Markdown without its `swift solution` steps (their fences and code), for the student
    /// edition; the other lines stay byte for byte.
    static func withoutSolutions(_ source: [UInt8], chapter: Chapter) -> [UInt8] {
        let solutions = chapter.steps.filter { $0.flags.part == .solution }
        guard !solutions.isEmpty else { return source }
        var lines = source.split(separator: 0x0A, omittingEmptySubsequences: false)
        var remove = Set<Int>()
        for step in solutions {
            // `line` is the opening fence (1-based); the code follows, then the closing fence.
            let newlines = step.code.utf8.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
            let codeLines = step.code.isEmpty ? 0 : newlines + (step.code.hasSuffix("\n") ? 0 : 1)
            let closing = step.line + codeLines + 1
            let last = closing <= lines.count && isFence(lines[closing - 1]) ? closing : min(closing, lines.count)
            for line in step.line...max(step.line, last) { remove.insert(line - 1) }
            // One blank line of the two around the removed block goes too, so no gap is left.
            let before = step.line - 2, after = last
            if before >= 0, after < lines.count, isBlank(lines[before]), isBlank(lines[after]) { remove.insert(after) }
        }
        lines = lines.enumerated().filter { !remove.contains($0.offset) }.map(\.element)
        return Array(lines.joined(separator: [0x0A]))
    }

    private static func isFence(_ line: ArraySlice<UInt8>) -> Bool {
        let text = String(decoding: line, as: UTF8.self)
        return text.contains("```") || text.contains("~~~")
    }

    private static func isBlank(_ line: ArraySlice<UInt8>) -> Bool {
        line.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
    }

    /// `Sources/Chapter/main.swift`: the chapter's runnable steps in order, as the engine's main program runs
    /// them (no `norun`, no `expect-error`, no solution), each under a comment naming it and its line.
    static func program(_ chapter: Chapter, edition: Edition) -> String {
        let file = String(chapter.path.split(separator: "/").last ?? Substring(chapter.path))
        var source = """
            // \(chapter.title)
            // The program of \(file), generated by Loopbook: its steps in order, as the book's build runs them.
            // Run it with `swift run` in the folder that holds Package.swift. Edit it as you like.
            import LoopbookRuntime

            """
        let solutions = Dictionary(chapter.exercises.compactMap { exercise in exercise.solution.map { (exercise.step.index, $0) } },
                                   uniquingKeysWith: { first, _ in first })
        for step in chapter.steps {
            let flags = step.flags
            let code = step.code.hasSuffix("\n") || step.code.isEmpty ? step.code : step.code + "\n"
            if flags.part == .solution { continue }
            if flags.norun { continue }
            if flags.expectError {
                source += "\n// Step \(step.index) (line \(step.line)) is meant to fail (expect-error), so it is left out.\n"
                continue
            }
            let what: String
            switch flags.part {
            case .exercise?: what = "exercise: edit this step"
            case .check?: what = "the check of the exercise above"
            default: what = flags.hidden ? "setup" : ""
            }
            source += "\n// MARK: Step \(step.index) (line \(step.line))\(what.isEmpty ? "" : ", " + what)\n" + code
            if edition == .teacher, flags.part == .exercise, let solution = solutions[step.index] {
                source += "// Solution (teacher edition):\n"
                let code = solution.code.hasSuffix("\n") ? String(solution.code.dropLast()) : solution.code
                for line in code.split(separator: "\n", omittingEmptySubsequences: false) {
                    source += (line.isEmpty ? "//" : "// " + line) + "\n"
                }
            }
        }
        return source
    }

    /// `Package.swift` of a downloaded chapter: the executable `Chapter` (Swift 5 mode, as the engine compiles
    /// chapters) and the library modules it builds on, all from the archive.
    static func manifest(slug: String) -> String {
        var targets: [String] = []
        for module in LibrarySources.modules {
            let dependencies = (LibrarySources.dependencies[module] ?? []).map { "\"\($0)\"" }.joined(separator: ", ")
            targets.append("        .target(name: \"\(module)\", dependencies: [\(dependencies)]),")
        }
        return """
            // swift-tools-version: 6.0
            // \(slug), downloaded from a Loopbook book: `swift run` builds and runs the chapter. Everything it
            // needs is in this folder (the libraries' sources under Sources/), so it works offline.
            import PackageDescription

            let package = Package(
                name: "\(slug)",
                platforms: [.macOS(.v15)],
                targets: [
                    .executableTarget(name: "Chapter", dependencies: ["LoopbookRuntime"],
                                      swiftSettings: [.swiftLanguageMode(.v5)]),
            \(targets.joined(separator: "\n"))
                ]
            )

            """
    }

    static func readme(chapter: Chapter, slug: String, file: String) -> String {
        """
        # \(chapter.title)

        This folder is chapter \(chapter.number) of a Loopbook book as a Swift package: its code, the data it
        reads, and the libraries it uses, so it needs nothing but Swift (6.0 or later) and no network.

        ```sh
        swift run
        ```

        builds it (a minute or two the first time) and prints what the chapter's page shows: text as it is,
        tables and values as text; each chart is written as an SVG file in this folder, whose name it prints.

        - `Sources/Chapter/main.swift`: the chapter's steps in order; edit them and run again.
        - `\(file)`: the chapter itself, prose and steps.
        - `data/`: the book's data files, read by the chapter with paths such as `data/iris.csv`.
        - `Sources/BookModel`, `Sources/ChartSVG`, `Sources/Learning`, `Sources/LoopbookRuntime`: the libraries.

        """
    }

    // MARK: - The archive

    /// The archive's bytes: every file under the folder `<slug>/`, in sorted order.
    func archive(chapter: Chapter, markdown: [UInt8], program: String, dependencyFiles: [Artifact]) throws -> [UInt8] {
        let slug = chapter.slug
        let file = String(chapter.path.split(separator: "/").last ?? Substring(chapter.path))
        var entries: [String: [UInt8]] = [:]
        entries["Package.swift"] = Array(Self.manifest(slug: slug).utf8)
        entries["README.md"] = Array(Self.readme(chapter: chapter, slug: slug, file: file).utf8)
        entries[file] = markdown
        entries["Sources/Chapter/main.swift"] = Array(program.utf8)
        for shared in sharedCode {
            // "Content/shared/metrics.swift" → "Sources/Chapter/shared/metrics.swift".
            let relative = shared.path.components(separatedBy: "/shared/").dropFirst().joined(separator: "/shared/")
            entries["Sources/Chapter/shared/" + (relative.isEmpty ? (shared.path as NSString).lastPathComponent : relative)] =
                Array(shared.contents.utf8)
        }
        for library in LibrarySources.files { entries["Sources/" + library.path] = library.contents }
        if dataDigest != nil {
            for (name, url) in try Self.dataFiles(content.appendingPathComponent("data")) {
                entries["data/" + name] = [UInt8](try Data(contentsOf: url))
            }
        }
        for artifact in dependencyFiles where entries[artifact.name] == nil { entries[artifact.name] = artifact.contents }
        return try Self.zip(entries.map { (slug + "/" + $0.key, $0.value) })
    }

    /// The regular files under `directory` (links followed), as paths relative to it, sorted.
    static func dataFiles(_ directory: URL) throws -> [(String, URL)] {
        var found: [(String, URL)] = []
        let manager = FileManager.default
        func scan(_ folder: URL, _ prefix: String) throws {
            for name in try manager.contentsOfDirectory(atPath: folder.path).sorted() {
                let url = folder.appendingPathComponent(name)
                var isFolder: ObjCBool = false
                guard manager.fileExists(atPath: url.path, isDirectory: &isFolder) else { continue }
                if isFolder.boolValue { try scan(url, prefix + name + "/") } else { found.append((prefix + name, url)) }
            }
        }
        try scan(directory, "")
        return found.sorted { $0.0 < $1.0 }
    }

    /// A ZIP archive of `files` (path, bytes): sorted by path, fixed timestamps and permissions, deflated.
    static func zip(_ files: [(String, [UInt8])]) throws -> [UInt8] {
        let archive = try Archive(data: Data(), accessMode: .create)
        for (path, bytes) in files.sorted(by: { $0.0 < $1.0 }) {
            let data = Data(bytes)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), modificationDate: timestamp,
                                 permissions: 0o644, compressionMethod: .deflate) { position, size in
                data.subdata(in: Data.Index(position)..<Data.Index(position) + size)
            }
        }
        guard let data = archive.data else {
            throw BuildIssue.other("the chapter's archive could not be made in memory.")
        }
        return [UInt8](data)
    }

    static func digest(_ bytes: [UInt8]) -> String { hex(Array(SHA256.hash(data: bytes))) }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        return String(decoding: bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0xF)]] }, as: UTF8.self)
    }
}
