import BookModel
import Foundation

/// Reads `Content/`: book.yml, the chapter files in numeric order, and checks their dependencies.
struct BookLoader {
    var contentDirectory: URL
    /// How the content folder is named in messages, e.g. "Content".
    var displayPrefix: String

    func load() throws -> Book {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: contentDirectory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw NotebookError.contentDirectoryMissing(path: displayPrefix)
        }
        let names: [String]
        do {
            names = try manager.contentsOfDirectory(atPath: contentDirectory.path).sorted()
        } catch {
            throw NotebookError.io(path: displayPrefix, message: "the folder could not be listed: \(error.localizedDescription)")
        }
        var book = Book(chapters: [])
        var files: [(number: Int, slug: String, name: String)] = []
        var logo: (path: String, line: Int, file: String)?
        for name in names where !name.hasPrefix(".") {
            if name == "README.md" { continue }
            if name == "book.yml" {
                let info = try BookFile(yaml: try readText(name), path: display(name))
                book.title = info.title; book.subtitle = info.subtitle; book.author = info.author
                book.language = info.language; book.repository = info.repository; book.editURL = info.editURL
                book.siteURL = info.siteURL; book.codeFold = info.codeFold ?? false
                book.print = info.print
                book.downloads = info.downloads ?? true
                logo = info.logo.map { ($0.path, $0.line, display(name)) }
                continue
            }
            let isFolder = Self.isFolder(contentDirectory.path + "/" + name)
            guard let (number, slug) = Self.chapterName(name) else {
                // Markdown files are meant as chapters; anything else (images, data, a folder of them) is an asset.
                if name.hasSuffix(".md"), !isFolder { throw NotebookError.badChapterFileName(path: display(name)) }
                var files = isFolder ? assets(in: name) : [name]
                if name == Self.sharedFolder, isFolder {
                    // Content/shared/*.swift: code every chapter program is compiled with, not files to publish.
                    for path in files.filter({ $0.hasSuffix(".swift") }) {
                        book.sharedCode.append(SourceFile(path: display(path), contents: try readText(path)))
                    }
                    files.removeAll { $0.hasSuffix(".swift") }
                }
                book.assets += files
                continue
            }
            if isFolder {
                throw NotebookError.unusableFile(
                    path: display(name),
                    message: "it is a folder, named like a chapter file; a chapter is a Markdown file, so rename the folder (e.g. to '\(slug.drop(while: { $0.isNumber || $0 == "-" }))') or replace it with a file.")
            }
            files.append((number, slug, name))
        }
        if let logo {
            // The logo is published like any file the pages use, so it must be one of the content folder's files.
            guard book.assets.contains(logo.path) else {
                throw NotebookError.frontMatter(path: logo.file, line: logo.line,
                                                message: "'logo' names '\(logo.path)', which is not a file in \(displayPrefix)/; give the path of an image file relative to \(displayPrefix)/, e.g. 'logo: images/logo.svg'.")
            }
            book.logo = logo.path
        }
        files.sort { ($0.number, $0.slug) < ($1.number, $1.slug) }
        for (previous, next) in zip(files, files.dropFirst()) where previous.number == next.number {
            throw NotebookError.duplicateChapterNumber(path: display(next.name), otherPath: display(previous.name))
        }
        guard !files.isEmpty else { throw NotebookError.contentDirectoryEmpty(path: displayPrefix) }

        // Chapters are read and parsed on every core (cmark parses one document at a time, the rest runs
        // in parallel); the first problem in book order is reported, as a one-by-one load would.
        let parsed = files.concurrentMap { file in
            Result { try ChapterParser.parse(try readText(file.name), path: display(file.name), slug: file.slug, number: file.number) }
        }
        var dependencies: [(chapter: String, path: String, slug: String, line: Int)] = []
        for (file, result) in zip(files, parsed) {
            let (chapter, dependsOn) = try result.get()
            book.chapters.append(chapter)
            dependencies += dependsOn.map { (file.slug, chapter.path, $0.slug, $0.line) }
        }
        let slugs = Set(book.chapters.map(\.slug))
        for dependency in dependencies {
            if dependency.slug == dependency.chapter {
                throw NotebookError.selfDependency(path: dependency.path, line: dependency.line, slug: dependency.slug)
            }
            if !slugs.contains(dependency.slug) {
                throw NotebookError.unknownDependency(path: dependency.path, line: dependency.line, slug: dependency.slug)
            }
        }
        _ = try Self.order(book.chapters)
        return book
    }

    /// Whether `path` is a folder or a link to one (one stat(2); Foundation's URL calls cost more in a big book).
    /// The folder of the content folder whose Swift files every chapter program is compiled with.
    static let sharedFolder = "shared"

    private static func isFolder(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
    }

    /// The files under the folder `name` of the content folder (links followed, hidden entries skipped), as
    /// paths relative to the content folder.
    private func assets(in name: String) -> [String] {
        let folder = contentDirectory.appendingPathComponent(name)
        guard let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isDirectoryKey],
                                                               options: [.skipsHiddenFiles]) else { return [] }
        let base = folder.standardizedFileURL.path
        var result: [String] = []
        for case let url as URL in enumerator {
            guard !Self.isFolder(url.path) else { continue }
            let path = url.standardizedFileURL.path
            guard path.hasPrefix(base + "/") else { continue }
            result.append(name + "/" + path.dropFirst(base.count + 1))
        }
        return result.sorted()
    }

    /// The largest chapter file or book.yml read (a chapter of a teaching book is a few tens of KB).
    static let maxFileSize: Int64 = 10_000_000

    /// `(3, "03-data")` for "03-data.md"; nil for a name that is not `NN-slug.md`.
    static func chapterName(_ name: String) -> (Int, String)? {
        guard name.hasSuffix(".md") else { return nil }
        let slug = String(name.dropLast(3))
        let digits = slug.prefix { $0.isASCII && $0.isNumber }
        let rest = slug.dropFirst(digits.count)
        guard !digits.isEmpty, let number = Int(digits), rest.hasPrefix("-"), rest.count > 1, !rest.hasSuffix("-"),
              !rest.contains("--"),
              rest.dropFirst().allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") })
        else { return nil }
        return (number, slug)
    }

    /// The chapters in an order where each comes after the chapters it depends on (stable: book order first).
    static func order(_ chapters: [Chapter]) throws -> [Chapter] {
        var done: Set<String> = []
        var result: [Chapter] = []
        var remaining = chapters
        while !remaining.isEmpty {
            guard let index = remaining.firstIndex(where: { $0.dependsOn.allSatisfy(done.contains) }) else {
                throw NotebookError.dependencyCycle(slugs: cycle(in: remaining))
            }
            let chapter = remaining.remove(at: index)
            done.insert(chapter.slug)
            result.append(chapter)
        }
        return result
    }

    private static func cycle(in chapters: [Chapter]) -> [String] {
        let bySlug = Dictionary(chapters.map { ($0.slug, $0) }, uniquingKeysWith: { first, _ in first })
        var path: [String] = []
        var current = chapters[0].slug
        while !path.contains(current), let next = bySlug[current]?.dependsOn.first(where: { bySlug[$0] != nil }) {
            path.append(current)
            current = next
        }
        if let start = path.firstIndex(of: current) { return Array(path[start...]) + [current] }
        return path
    }

    private func display(_ name: String) -> String {
        displayPrefix.isEmpty ? name : "\(displayPrefix)/\(name)"
    }

    private func readText(_ name: String) throws -> String {
        let url = contentDirectory.appendingPathComponent(name, isDirectory: false)
        try FileCheck.readable(url, display: display(name), within: contentDirectory, maxSize: Self.maxFileSize)
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw NotebookError.io(path: display(name), message: "the file could not be read: \(error.localizedDescription)")
        }
        guard let text = String(validating: data, as: UTF8.self) else {
            let (line, byte) = Self.firstInvalidUTF8(in: data)
            throw NotebookError.notUTF8(path: display(name), line: line, byte: byte)
        }
        return text
    }

    /// The 1-based line and the value of the first byte that is not valid UTF-8 in `data`.
    static func firstInvalidUTF8(in data: Data) -> (line: Int, byte: UInt8?) {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = data.makeIterator()
        var offset = 0
        var line = 1
        while true {
            switch parser.parseScalar(from: &iterator) {
            case let .valid(encoded):
                if encoded.count == 1, encoded.first == 0x0A { line += 1 }
                offset += encoded.count
            case .error:
                return (line, offset < data.count ? data[data.startIndex + offset] : nil)
            case .emptyInput:
                return (line, nil)
            }
        }
    }
}
