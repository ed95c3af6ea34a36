import BookModel
import Crypto
import Foundation

/// Where `SiteRenderer` keeps chapter pages between builds, so a build renders only the pages whose inputs
/// changed (a one-chapter edit of a 1,000-chapter book renders one page).
///
/// The renderer computes each page's key from everything the page is made of (see `PageKey`), encodes and
/// decodes the entries itself and treats anything it cannot decode as absent, so a store only keeps bytes
/// by key. A store must never return bytes stored under another key; it may forget entries at any time.
/// `LoopbookBuild` keeps them in `.loopbook/cache/pages/`, keyed also by the tool's own binary.
public protocol PageCache: Sendable {
    /// The bytes stored for `key` (64 hex digits), or nil.
    func load(_ key: String) -> [UInt8]?
    /// The first `count` bytes stored for `key` (all of them when there are fewer), or nil. The default
    /// loads the whole entry.
    func loadPrefix(_ key: String, count: Int) -> [UInt8]?
    /// Stores `bytes` for `key`; failing to store costs speed only, so it does not throw.
    func store(_ bytes: [UInt8], for key: String)
    /// The SHA-256 (64 hex digits) of the file the published site holds at `path` (e.g. `03-data.html`),
    /// when the store can vouch for it without reading it: it recorded the file after publishing it and
    /// the file is unchanged since (same inode, size, modification and change times). Nil otherwise, and
    /// by default. The renderer then leaves an unchanged page where it is instead of reading it.
    func publishedDigest(of path: String) -> String?
}

extension PageCache {
    public func loadPrefix(_ key: String, count: Int) -> [UInt8]? { load(key).map { Array($0.prefix(count)) } }
    public func publishedDigest(of path: String) -> String? { nil }
}

/// A rendered chapter page as the page cache keeps it: its HTML, its search-index entry, and what the
/// site-wide checks need from it (the ids it has, the links and files it refers to). Only pages without
/// problems are kept, so a cached page never hides an error: a page with an error is rendered every build.
struct CachedPage: Equatable {
    struct Reference: Equatable {
        var severity: String
        var file: String
        var line: Int
        var column: Int?
        var message: String
        var slug: String
        var anchor: String
        var written: String
    }

    struct SiteReference: Equatable {
        var severity: String
        var file: String
        var line: Int
        var column: Int?
        var message: String
        var path: String
    }

    struct Meta: Equatable {
        var headings: [TOCEntry]
        var ids: [String]
        var assetReferences: [String]
        var anchorReferences: [Reference]
        var siteReferences: [SiteReference]
    }

    var html: [UInt8]
    var search: [UInt8]
    var meta: Meta
    /// The chapter's part of `print.html` (`PrintPage.fragment`); empty when the book has no print page.
    var print: [UInt8] = []

    static func reference(_ reference: ProseRenderer.AnchorReference) -> Reference {
        let place = reference.place
        return Reference(severity: place.severity.rawValue, file: place.file, line: place.line, column: place.column,
                         message: place.message, slug: reference.slug, anchor: reference.anchor, written: reference.written)
    }

    static func anchorReference(_ reference: Reference) -> ProseRenderer.AnchorReference {
        ProseRenderer.AnchorReference(
            place: Diagnostic(severity: Diagnostic.Severity(rawValue: reference.severity) ?? .error, file: reference.file,
                              line: reference.line, column: reference.column, message: reference.message),
            slug: reference.slug, anchor: reference.anchor, written: reference.written)
    }

    static func reference(_ reference: (problem: Diagnostic, path: String)) -> SiteReference {
        let place = reference.problem
        return SiteReference(severity: place.severity.rawValue, file: place.file, line: place.line, column: place.column,
                             message: place.message, path: reference.path)
    }

    static func siteReference(_ reference: SiteReference) -> (problem: Diagnostic, path: String) {
        (Diagnostic(severity: Diagnostic.Severity(rawValue: reference.severity) ?? .error, file: reference.file,
                    line: reference.line, column: reference.column, message: reference.message), reference.path)
    }

    static let magic = "loopbook-page 5"

    /// `loopbook-page 5 <key> <SHA-256 of search and meta> <SHA-256 of html> <SHA-256 of print> <search bytes>
    /// <meta bytes> <html bytes> <print bytes>\n`, then the four parts, the HTML and the print fragment last
    /// (so the rest reads without them); the meta part is length-prefixed fields (`Fields`), which read far
    /// faster than JSON. The key and the checksums make an entry verify itself: one copied over another, or
    /// damaged in place, is rendered again instead of published.
    func encoded(key: String) -> [UInt8] {
        var fields = Fields()
        fields.append(meta.headings.count)
        for heading in meta.headings { fields.append(heading.level); fields.append(heading.id); fields.append(heading.text) }
        fields.append(meta.ids.count)
        for id in meta.ids { fields.append(id) }
        fields.append(meta.assetReferences.count)
        for path in meta.assetReferences { fields.append(path) }
        fields.append(meta.anchorReferences.count)
        for reference in meta.anchorReferences {
            for text in [reference.severity, reference.file, String(reference.line), reference.column.map(String.init) ?? "",
                         reference.message, reference.slug, reference.anchor, reference.written] { fields.append(text) }
        }
        fields.append(meta.siteReferences.count)
        for reference in meta.siteReferences {
            for text in [reference.severity, reference.file, String(reference.line), reference.column.map(String.init) ?? "",
                         reference.message, reference.path] { fields.append(text) }
        }
        let rest = search + fields.bytes
        let header = "\(Self.magic) \(key) \(Self.hex(SHA256.hash(data: rest))) \(Self.digest(html)) \(Self.digest(print)) "
            + "\(search.count) \(fields.bytes.count) \(html.count) \(print.count)\n"
        return Array(header.utf8) + rest + html + print
    }

    /// The SHA-256 of `bytes` in hex, as entries and `PageCache.publishedDigest(of:)` give it.
    static func digest(_ bytes: [UInt8]) -> String { hex(SHA256.hash(data: bytes)) }

    static func hex(_ digest: SHA256.Digest) -> String {
        let digits = Array("0123456789abcdef".utf8)
        return String(decoding: digest.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0xF)]] }, as: UTF8.self)
    }

    /// An entry without its HTML: the search entry and meta (verified), and where the HTML is.
    struct Head {
        var search: [UInt8]
        var meta: Meta
        var htmlDigest: String
        var htmlOffset: Int
        var htmlCount: Int
        /// The SHA-256 (hex) and size of the print fragment, which follows the HTML.
        var printDigest: String
        var printCount: Int
    }

    /// The head of the entry whose first bytes are `bytes` (the whole entry or a prefix of it) under
    /// `key`; nil when it is another version or key's, damaged, or `bytes` ends before the HTML starts.
    static func head(_ bytes: [UInt8], key: String) -> Head? {
        guard let newline = bytes.prefix(400).firstIndex(of: 0x0A) else { return nil }
        let header = String(decoding: bytes[..<newline], as: UTF8.self).split(separator: " ")
        guard header.count == 10, header[0] + " " + header[1] == Self.magic, header[2] == key,
              let searchCount = Int(header[6]), let metaCount = Int(header[7]), let htmlCount = Int(header[8]),
              let printCount = Int(header[9]), htmlCount >= 0, searchCount >= 0, metaCount >= 0, printCount >= 0,
              bytes.count - newline - 1 >= searchCount + metaCount else { return nil }
        let start = newline + 1
        let rest = bytes[start..<start + searchCount + metaCount]
        guard header[3] == Self.hex(SHA256.hash(data: rest)) else { return nil }
        var reader = Fields.Reader(bytes[(start + searchCount)..<(start + searchCount + metaCount)])
        var meta = Meta(headings: [], ids: [], assetReferences: [], anchorReferences: [], siteReferences: [])
        guard let headings = reader.int() else { return nil }
        for _ in 0..<headings {
            guard let level = reader.int(), let id = reader.text(), let text = reader.text() else { return nil }
            meta.headings.append(TOCEntry(level: level, text: text, id: id))
        }
        guard let ids = reader.int() else { return nil }
        for _ in 0..<ids { guard let id = reader.text() else { return nil }; meta.ids.append(id) }
        guard let assets = reader.int() else { return nil }
        for _ in 0..<assets { guard let path = reader.text() else { return nil }; meta.assetReferences.append(path) }
        guard let anchors = reader.int() else { return nil }
        for _ in 0..<anchors {
            guard let severity = reader.text(), let file = reader.text(), let line = reader.int(),
                  let column = reader.text(), let message = reader.text(), let slug = reader.text(),
                  let anchor = reader.text(), let written = reader.text() else { return nil }
            meta.anchorReferences.append(Reference(severity: severity, file: file, line: line, column: Int(column),
                                                   message: message, slug: slug, anchor: anchor, written: written))
        }
        guard let sites = reader.int() else { return nil }
        for _ in 0..<sites {
            guard let severity = reader.text(), let file = reader.text(), let line = reader.int(),
                  let column = reader.text(), let message = reader.text(), let path = reader.text() else { return nil }
            meta.siteReferences.append(SiteReference(severity: severity, file: file, line: line, column: Int(column),
                                                     message: message, path: path))
        }
        guard reader.isAtEnd else { return nil }
        return Head(search: Array(bytes[start..<start + searchCount]), meta: meta, htmlDigest: String(header[4]),
                    htmlOffset: start + searchCount + metaCount, htmlCount: htmlCount,
                    printDigest: String(header[5]), printCount: printCount)
    }

    /// The HTML of the whole entry `bytes` whose head is `head`, if it is all there and matches its digest.
    static func html(_ bytes: [UInt8], head: Head) -> [UInt8]? {
        guard bytes.count == head.htmlOffset + head.htmlCount + head.printCount else { return nil }
        let html = Array(bytes[head.htmlOffset..<head.htmlOffset + head.htmlCount])
        return Self.digest(html) == head.htmlDigest ? html : nil
    }

    /// The print fragment of the whole entry `bytes` whose head is `head`, if it is all there and matches
    /// its digest.
    static func print(_ bytes: [UInt8], head: Head) -> [UInt8]? {
        guard bytes.count == head.htmlOffset + head.htmlCount + head.printCount else { return nil }
        let print = Array(bytes[(head.htmlOffset + head.htmlCount)...])
        return Self.digest(print) == head.printDigest ? print : nil
    }

    /// The page stored in `bytes` under `key`; nil for anything else (another version, another key's entry,
    /// a truncated or damaged file).
    init?(decoding bytes: [UInt8], key: String) {
        guard let head = Self.head(bytes, key: key), let html = Self.html(bytes, head: head),
              let print = Self.print(bytes, head: head) else { return nil }
        self.init(html: html, search: head.search, meta: head.meta, print: print)
    }

    init(html: [UInt8], search: [UInt8], meta: Meta, print: [UInt8] = []) {
        self.html = html; self.search = search; self.meta = meta; self.print = print
    }
}

/// The key of a chapter page: a SHA-256 over everything the page is made from, so a page whose key is
/// unchanged would be rendered to the same bytes. That is the book's settings, the names of all chapter
/// files and content files (links are checked against them), the chapter before and after (the pager),
/// and the chapter itself: its front matter as resolved, its Markdown, its steps and its results
/// (artifacts by content), its formulas as KaTeX rendered them, and what it shows of the labels it refers to
/// (`@fig-x` in another chapter: that figure's number, caption and page). The renderer's own code is not in
/// it: the page cache's store keys by the tool's binary too.
struct PageKey {
    /// What every page of one build shares.
    struct Site {
        var digest: [UInt8]
        init(book: BookInfo, chapterFiles: [String: String], assets: Set<String>) {
            var hasher = SHA256()
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            hasher.update(data: Array("loopbook page key 1\n".utf8))
            hasher.update(data: (try? encoder.encode(book)) ?? Data())
            PageKey.field(chapterFiles.keys.sorted().joined(separator: "\n"), into: &hasher)
            PageKey.field(assets.sorted().joined(separator: "\n"), into: &hasher)
            digest = Array(hasher.finalize())
        }
    }

    /// `math` is the chapter's rendered formulas (token → HTML): KaTeX's output is an input of the page.
    /// `references` is, for each label the chapter's Markdown may refer to, what the page shows of its
    /// target (`CrossReferences.Target.keyText`, or "-" for a label the book does not have).
    static func key(site: Site, chapter executed: ExecutedChapter, previous: Chapter?, next: Chapter?,
                    math: [String: String] = [:], references: [String: String] = [:],
                    quotes: [String: String?] = [:], download: ChapterDownloadLinks? = nil) -> String {
        var hasher = SHA256()
        hasher.update(data: site.digest)
        // The download links show the archive's size.
        field(download?.keyText ?? "-", into: &hasher)
        // Other chapters' values the page quotes (`{{ slug.key }}`), a missing one too.
        field(String(quotes.count), into: &hasher)
        for name in quotes.keys.sorted() {
            field(name, into: &hasher)
            field(quotes[name]!.map { "+" + $0 } ?? "-", into: &hasher)
        }
        field(String(references.count), into: &hasher)
        for label in references.keys.sorted() {
            field(label, into: &hasher)
            field(references[label] ?? "", into: &hasher)
        }
        field(String(math.count), into: &hasher)
        for token in math.keys.sorted() {
            field(token, into: &hasher)
            field(math[token] ?? "", into: &hasher)
        }
        for neighbour in [previous, next] {
            field(neighbour.map { $0.slug + "\n" + $0.title } ?? "-", into: &hasher)
        }
        hashChapter(executed.chapter, into: &hasher)
        let result = executed.result
        if result != ChapterResult(steps: result.steps.map { StepResult(index: $0.index) }) {
            // Outputs, values or files (a chapter without code has none, and skips the JSON).
            var stripped = result
            for index in stripped.artifacts.indices {
                hasher.update(data: Array(SHA256.hash(data: stripped.artifacts[index].contents)))
                stripped.artifacts[index].contents = []
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            hasher.update(data: (try? encoder.encode(stripped)) ?? Data())
        }
        let hex = Array("0123456789abcdef".utf8)
        return String(decoding: hasher.finalize().flatMap { [hex[Int($0 >> 4)], hex[Int($0 & 0xF)]] }, as: UTF8.self)
    }

    /// Every stored property of `chapter` (`PageCacheTests` fails when `Chapter` gains one this misses).
    static func hashChapter(_ chapter: Chapter, into hasher: inout SHA256) {
        let limits = chapter.limits
        for text in [chapter.path, chapter.slug, String(chapter.number), chapter.title,
                     chapter.titleLine.map(String.init) ?? "-", chapter.summary.map { "+" + $0 } ?? "-",
                     String(chapter.timeout), "\(limits.memory) \(limits.maxFileSize) \(limits.maxArtifactsSize)",
                     chapter.dependsOn.joined(separator: "\n"), String(chapter.steps.count)] {
            field(text, into: &hasher)
        }
        for step in chapter.steps {
            let flags = step.flags
            field("\(step.index) \(step.line) \(step.indent) \(flags.hidden) \(flags.norun) \(flags.hideOutput) \(flags.expectError) \(flags.fold.map(String.init) ?? "-") \(flags.part?.rawValue ?? "-")",
                  into: &hasher)
            field(step.code, into: &hasher)
        }
        field(chapter.markdown, into: &hasher)
    }

    /// A length-prefixed field, so no two different sequences of fields hash alike.
    static func field(_ text: String, into hasher: inout SHA256) {
        var prefix = "\(text.utf8.count):"
        var text = text
        // Hashed in place (no copy into an array): a big book's build keys a thousand chapters' Markdown.
        prefix.withUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        text.withUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
    }
}

/// Length-prefixed text fields: `<byte count>:<UTF-8 bytes>` each, one after another.
struct Fields {
    private(set) var bytes: [UInt8] = []

    mutating func append(_ text: String) {
        bytes += Array("\(text.utf8.count):".utf8)
        bytes += Array(text.utf8)
    }

    mutating func append(_ number: Int) { append(String(number)) }

    struct Reader {
        private var rest: ArraySlice<UInt8>
        init(_ bytes: ArraySlice<UInt8>) { rest = bytes }

        var isAtEnd: Bool { rest.isEmpty }

        mutating func text() -> String? {
            guard let colon = rest.prefix(20).firstIndex(of: UInt8(ascii: ":")),
                  let count = Int(String(decoding: rest[rest.startIndex..<colon], as: UTF8.self)),
                  count >= 0, rest.endIndex - colon - 1 >= count else { return nil }
            let start = colon + 1
            defer { rest = rest[(start + count)...] }
            return String(decoding: rest[start..<start + count], as: UTF8.self)
        }

        mutating func int() -> Int? { text().flatMap { Int($0) } }
    }
}
