import BookModel
import Crypto
import Foundation
import Markdown

/// Turns executed chapters into the files of the website (deterministic output; no disk access except through
/// `math`, which a book with formulas calls once per render: KaTeX by default).
///
/// ```swift
/// let files = try SiteRenderer(book: BookInfo(title: "Feedback Loops")).render(chapters)
/// let report = try Publisher.publish(files, to: siteURL)
/// ```
///
/// The site is flat so it works from `file://` and any static host: `index.html`, one `<slug>.html` per
/// chapter, `404.html`, `toc.js` (the sidebar's chapter list, once for the whole site), `favicon.svg` (or
/// the book's logo), `sitemap.xml` (when the site's address is known), `assets/style.css`,
/// `assets/site.js`, `search-index.js`, `print.html` (the whole book on one page, when `BookInfo.print`) and
/// the chapters' artifacts under `files/<slug>/`.
public struct SiteRenderer: Sendable {
    public var book: BookInfo
    /// Renders the book's `$…$` and `$$…$$` formulas, once per build (KaTeX through Node.js by default).
    public var math: MathRenderer

    public init(book: BookInfo, math: MathRenderer = .katex()) {
        self.book = book
        self.math = math
    }

    /// Renders every page, the assets, the search index and the chapters' artifacts.
    /// Chapters appear in the given order (callers sort them by number).
    ///
    /// `assets` are the files beside the chapters (paths relative to the content folder, as
    /// `Book.assets`); pages may link to them and to other chapters (`03-data.md#anchor`). The files the
    /// pages use are listed in `SiteFiles.contentFiles` for the caller to copy in.
    ///
    /// - Throws: `SiteError.located` (or `.several`, every problem at once) for an unknown `{{ key }}`, a
    ///   link to a chapter, section or file that does not exist; other `SiteError`s for bad slugs or artifacts.
    ///
    /// With a `pageCache`, a chapter page whose inputs are unchanged since a build that stored it is taken
    /// from the cache instead of rendered (the bytes are the same either way; see `PageCache`).
    /// A page found in the page cache: its head, and its HTML or a way to read it.
    struct CacheHit: Sendable {
        enum HTML: Sendable {
            case bytes([UInt8])
            /// The published site holds it already (the cache vouches for its digest): read only on demand.
            case kept(@Sendable () -> [UInt8]?)
        }
        var head: CachedPage.Head
        var html: HTML
        /// The print fragment, when the whole entry was read (and verified).
        var print: [UInt8]?
    }

    /// The cached page for `key` (the chapter page `page`), or nil when there is none that verifies. When
    /// the store vouches that the published site holds this very HTML, only the entry's head is read (a few
    /// kilobytes of a page's tens): a no-op rebuild of a big book then reads no page at all.
    static func lookUp(_ key: String, page: String, in pageCache: any PageCache) -> CacheHit? {
        if let published = pageCache.publishedDigest(of: page),
           let prefix = pageCache.loadPrefix(key, count: 1 << 15),
           let head = CachedPage.head(prefix, key: key), head.htmlDigest == published {
            return CacheHit(head: head, html: .kept({
                pageCache.load(key).flatMap { bytes in CachedPage.head(bytes, key: key).flatMap { CachedPage.html(bytes, head: $0) } }
            }))
        }
        guard let bytes = pageCache.load(key), let head = CachedPage.head(bytes, key: key),
              let html = CachedPage.html(bytes, head: head) else { return nil }
        return CacheHit(head: head, html: .bytes(html), print: CachedPage.print(bytes, head: head))
    }

    ///
    /// `downloads` (by chapter slug) are what each page offers for download (the files themselves are the
    /// caller's to add, see `SiteBuilder`); a change of them renders the page again.
    public func render(_ chapters: [ExecutedChapter], assets: [String] = [],
                       downloads: [String: ChapterDownloadLinks] = [:],
                       pageCache: (any PageCache)? = nil) throws(SiteError) -> SiteFiles {
        try checkSlugs(chapters)
        var problems: [Diagnostic] = []
        // Titles and summaries may quote values: every place that shows them shows the values.
        let published = chapters.map(ChapterPage.publishedValues)
        let everyChapter = Dictionary(zip(chapters.map(\.chapter.slug), published), uniquingKeysWith: { first, _ in first })
        let values = published.map { ValueScope($0, book: everyChapter) }
        var resolved = chapters
        let originalTitles = chapters.map(\.chapter.title)
        let originalSummaries = chapters.map(\.chapter.summary)
        for (index, executed) in chapters.enumerated() {
            let chapter = executed.chapter
            let title = Placeholders.substitutePlain(chapter.title, values: values[index])
            resolved[index].chapter.title = title.text
            // A title from a heading `# Intro {#sec-intro}` is shown without its label.
            if let attribute = CrossReferences.trailingAttribute(title.text), CrossReferences.kind(of: attribute.label) == .section {
                resolved[index].chapter.title = attribute.rest
            }
            for key in title.unknown {
                problems.append(Diagnostic(file: chapter.path, line: chapter.titleLine ?? 1,
                                           message: values[index].quoted(key) != nil
                                           ? values[index].unknownMessage(key, "the chapter title")
                                           : "unknown key '\(key)' in the chapter title; "
                                           + (values[index].isEmpty ? "this chapter publishes no values."
                                              : "this chapter publishes: \(values[index].keys.sorted().joined(separator: ", ")).")))
            }
            if let summary = chapter.summary {
                let substituted = Placeholders.substitutePlain(summary, values: values[index])
                resolved[index].chapter.summary = substituted.text
                for key in substituted.unknown {
                    problems.append(Diagnostic(file: chapter.path, line: 1,
                                               message: values[index].quoted(key) != nil
                                               ? values[index].unknownMessage(key, "the summary of the front matter")
                                               : "unknown key '\(key)' in the summary of the front matter; "
                                               + (values[index].isEmpty ? "this chapter publishes no values."
                                                  : "this chapter publishes: \(values[index].keys.sorted().joined(separator: ", ")).")))
                }
            }
        }
        let layout = Layout(book: book, chapters: resolved.map(\.chapter))
        let spans = resolved.map { MathSpans.scan($0.chapter.markdown) }
        // Labels first: an equation's number is part of its formula (`\tag{3.4}`).
        let references = CrossReferences(chapters: resolved.map(\.chapter), math: spans)
        problems += references.problems
        let formulas = renderMath(resolved, spans: spans, references: references)
        problems += formulas.problems
        var context = ChapterPage.SiteContext(
            values: values,
            chapterFiles: Dictionary(chapters.map { ($0.chapter.slug + ".md", $0.chapter.slug) }, uniquingKeysWith: { a, _ in a }),
            assets: Set(assets), math: formulas.spans, mathHTML: formulas.html)
        context.references = references
        context.downloads = downloads
        var files = SiteFiles()
        var search: [[UInt8]] = []
        var headingsByPage: [String: [TOCEntry]] = [:]
        var idsByPage: [String: Set<String>] = [:]
        var anchorReferences: [(page: String, ProseRenderer.AnchorReference)] = []
        var contentFiles: Set<String> = []
        var siteReferences: [(problem: Diagnostic, path: String)] = []
        // Keys and cached pages first, on all cores (hashing, reading and decoding need no order).
        var lookups: [(key: String, page: CacheHit?)?] = Array(repeating: nil, count: resolved.count)
        if let pageCache {
            let site = PageKey.Site(book: book, chapterFiles: context.chapterFiles, assets: context.assets)
            let chapters = resolved
            let mathHTML = formulas.html
            let scopes = values
            lookups = Array(chapters.indices).concurrentMap { position in
                // The original text: what it quotes of other chapters is part of what the page shows.
                let original = chapters[position].chapter
                let quotes = scopes[position].quotes(in: [original.markdown, originalTitles[position], originalSummaries[position] ?? ""])
                // What the page shows of the labels it refers to (other chapters' numbers and titles).
                var referenced: [String: String] = [:]
                for label in CrossReferences.referencedLabels(in: chapters[position].chapter.markdown) {
                    referenced[label] = references.targets[label]?.keyText ?? "-"
                }
                let key = PageKey.key(site: site, chapter: chapters[position],
                                      previous: position > 0 ? chapters[position - 1].chapter : nil,
                                      next: position + 1 < chapters.count ? chapters[position + 1].chapter : nil,
                                      math: position < mathHTML.count ? mathHTML[position] : [:],
                                      references: referenced, quotes: quotes,
                                      download: downloads[chapters[position].chapter.slug])
                return (key, Self.lookUp(key, page: "\(chapters[position].chapter.slug).html", in: pageCache))
            }
        }
        // Each chapter's part of print.html: its bytes when at hand, else its digest (from the cache entry's head).
        var printParts: [PrintPart] = []
        for (position, executed) in resolved.enumerated() {
            let slug = executed.chapter.slug
            let key = lookups[position]?.key
            if let hit = lookups[position]?.page {
                if book.print, let key {
                    printParts.append(PrintPart(digest: hit.head.printDigest, bytes: hit.print, key: key))
                }
                switch hit.html {
                case let .bytes(html): files.set("\(slug).html", bytes: html, digest: hit.head.htmlDigest)
                case let .kept(load): files.keep("\(slug).html", size: hit.head.htmlCount, digest: hit.head.htmlDigest, load: load)
                }
                for artifact in executed.result.artifacts { files["files/\(slug)/\(artifact.name)"] = artifact.contents }
                let cached = hit.head
                search.append(cached.search)
                headingsByPage[slug] = cached.meta.headings
                idsByPage[slug] = Set(cached.meta.ids)
                contentFiles.formUnion(cached.meta.assetReferences)
                anchorReferences += cached.meta.anchorReferences.map { (slug, CachedPage.anchorReference($0)) }
                siteReferences += cached.meta.siteReferences.map(CachedPage.siteReference)
                continue
            }
            let page = try ChapterPage(layout: layout, position: position, executed: executed).render(context: context)
            let html = Array(page.html.utf8)
            let print = Array(page.print.utf8)
            if book.print { printParts.append(PrintPart(digest: CachedPage.digest(print), bytes: print, key: nil)) }
            let entry = page.search.json
            files["\(slug).html"] = html
            for artifact in page.artifacts { files[artifact.path] = artifact.bytes }
            search.append(entry)
            headingsByPage[slug] = page.search.headings
            problems += page.problems
            contentFiles.formUnion(page.assetReferences)
            anchorReferences += page.anchorReferences.map { (slug, $0) }
            siteReferences += page.siteReferences
            if let key, let pageCache, page.problems.isEmpty {
                let ids = LinkChecker.attributeValues("id", in: page.html)
                idsByPage[slug] = Set(ids)
                let meta = CachedPage.Meta(headings: page.search.headings, ids: ids,
                                           assetReferences: page.assetReferences.sorted(),
                                           anchorReferences: page.anchorReferences.map(CachedPage.reference),
                                           siteReferences: page.siteReferences.map(CachedPage.reference))
                pageCache.store(CachedPage(html: html, search: entry, meta: meta, print: print).encoded(key: key), for: key)
                files.set("\(slug).html", bytes: html, digest: CachedPage.digest(html))
            }
        }
        if book.print {
            try printPage(printParts, layout: layout, math: !formulas.assets.isEmpty, context: context,
                          chapters: resolved, pageCache: pageCache, into: &files)
        }
        files.set("index.html", text: IndexPage(layout: layout).render())
        files.set(SiteBasics.notFoundPath, text: NotFoundPage(layout: layout).render())
        files.set(SiteBasics.tocPath, text: SiteBasics.tocScript(layout.chapters))
        if let logo = book.logo {
            contentFiles.insert(logo)
        } else {
            files.set(SiteBasics.faviconPath, text: SiteBasics.favicon)
        }
        if let siteURL = book.siteURL {
            files.set(SiteBasics.sitemapPath, text: SiteBasics.sitemap(siteURL: siteURL, chapters: layout.chapters))
        }
        for asset in Assets.files { files[asset.path] = asset.bytes }
        for asset in formulas.assets { files[asset.path] = asset.bytes }
        files[SearchIndex.path] = SearchIndex.script(book: book.title, chapters: search)

        // Links to files the site makes itself (index.html, downloads under files/).
        problems += siteReferences.filter { files[$0.path] == nil }.map(\.problem)

        // Links to sections, checked against the ids each page really has.
        for (page, reference) in anchorReferences {
            let target = reference.slug.isEmpty ? page : reference.slug
            if idsByPage[target] == nil {
                idsByPage[target] = Set(LinkChecker.attributeValues("id", in: files.text(target + ".html") ?? ""))
            }
            guard idsByPage[target]?.contains(reference.anchor) != true else { continue }
            let headings = headingsByPage[target]?.map { "#" + $0.id } ?? []
            let list = headings.isEmpty ? "it has no sections" :
                "its sections are " + (headings.count <= 12 ? headings.joined(separator: ", ")
                                       : headings.prefix(12).joined(separator: ", ") + ", …")
            var place = reference.place
            place.message = "the link '\(reference.written)' points to '#\(reference.anchor)', which "
                + (reference.slug.isEmpty ? "this page" : "\(target).md") + " does not have (\(list)); fix the anchor or the heading."
            problems.append(place)
        }
        for path in contentFiles.sorted() where files[path] != nil || path == "files" || path.hasPrefix("files/") {
            problems.append(Diagnostic(file: "Content/\(path)", line: 1,
                                       message: "this file would take the place of a file the site makes itself; rename it or move it into a folder."))
        }
        var seen: Set<Diagnostic> = []
        problems = problems.filter { seen.insert($0).inserted }
            .sorted { ($0.file, $0.line, $0.column ?? 0) < ($1.file, $1.line, $1.column ?? 0) }
        if problems.count == 1 { throw .located(problems[0]) }
        if problems.count > 1 { throw .several(problems.map(SiteError.located)) }
        files.contentFiles = contentFiles.sorted()
        return files
    }

    /// A chapter's part of the print page: its bytes, or (for a page from the cache whose entry was not read
    /// whole) its digest and the cache key to read it by.
    struct PrintPart: Sendable {
        var digest: String
        var bytes: [UInt8]?
        var key: String?
    }

    /// Writes `print.html` from the chapters' fragments (`PrintPage`). With a page cache, the page's key is a
    /// SHA-256 of its shell and every fragment's digest, and the cache remembers the digest and size of the page
    /// built from them (`loopbook-print 1 <key> <SHA-256> <bytes>`): when the published site holds exactly that
    /// page, it is kept where it is and no fragment is read. Otherwise the fragments not at hand are read from
    /// the cache (a chapter whose entry has gone is rendered again for its fragment) and the page assembled.
    private func printPage(_ parts: [PrintPart], layout: Layout, math: Bool, context: ChapterPage.SiteContext,
                           chapters: [ExecutedChapter], pageCache: (any PageCache)?,
                           into files: inout SiteFiles) throws(SiteError) {
        let shell = PrintPage.shell(layout: layout, math: math)
        var hasher = SHA256()
        PageKey.field("loopbook print page 1", into: &hasher)
        PageKey.field(shell.before, into: &hasher)
        PageKey.field(shell.after, into: &hasher)
        for part in parts { PageKey.field(part.digest, into: &hasher) }
        let key = CachedPage.hex(hasher.finalize())
        if let pageCache, let record = pageCache.load(key).map({ String(decoding: $0, as: UTF8.self) }) {
            let fields = record.split(separator: " ")
            if fields.count == 5, fields[0] == "loopbook-print", fields[1] == "1", fields[2] == key,
               let size = Int(fields[4].trimmingCharacters(in: .whitespacesAndNewlines)),
               pageCache.publishedDigest(of: PrintPage.path) == String(fields[3]) {
                let before = Array(shell.before.utf8), after = Array(shell.after.utf8)
                let digest = String(fields[3])
                files.keep(PrintPage.path, size: size, digest: digest, load: {
                    var bytes = before
                    for part in parts {
                        guard let fragment = part.bytes ?? part.key.flatMap({ Self.cachedPrint($0, digest: part.digest, in: pageCache) })
                        else { return nil }
                        bytes += fragment
                    }
                    bytes += after
                    return CachedPage.digest(bytes) == digest ? bytes : nil
                })
                return
            }
        }
        // Fragments not at hand, read on all cores; a page whose entry went away is rendered for its fragment.
        var fragments: [[UInt8]?] = parts.concurrentMap { part in
            part.bytes ?? part.key.flatMap { key in pageCache.flatMap { Self.cachedPrint(key, digest: part.digest, in: $0) } }
        }
        for position in fragments.indices where fragments[position] == nil {
            let page = try ChapterPage(layout: layout, position: position, executed: chapters[position]).render(context: context)
            fragments[position] = Array(page.print.utf8)
        }
        var bytes = Array(shell.before.utf8)
        bytes.reserveCapacity(bytes.count + fragments.reduce(0) { $0 + ($1?.count ?? 0) } + shell.after.utf8.count)
        for fragment in fragments { bytes += fragment ?? [] }
        bytes += Array(shell.after.utf8)
        let digest = CachedPage.digest(bytes)
        files.set(PrintPage.path, bytes: bytes, digest: digest)
        pageCache?.store(Array("loopbook-print 1 \(key) \(digest) \(bytes.count)\n".utf8), for: key)
    }

    /// The print fragment of the cache entry under `key`, if it is there and its digest is `digest`.
    private static func cachedPrint(_ key: String, digest: String, in pageCache: any PageCache) -> [UInt8]? {
        guard let bytes = pageCache.load(key), let head = CachedPage.head(bytes, key: key), head.printDigest == digest
        else { return nil }
        return CachedPage.print(bytes, head: head)
    }

    /// Every chapter's formulas, rendered in one call; a formula KaTeX rejects is a problem at its place.
    /// A labelled equation is rendered with its number (`\tag{3.4}`).
    private func renderMath(_ chapters: [ExecutedChapter], spans: [MathSpans?], references: CrossReferences)
        -> (spans: [MathSpans?], html: [[String: String]], problems: [Diagnostic], assets: [(path: String, bytes: [UInt8])])
    {
        func formula(_ span: MathSpans.Span) -> MathRenderer.Formula {
            guard let label = span.label, let target = references.targets[label], target.kind == .equation else {
                return MathRenderer.Formula(tex: span.tex, display: span.display)
            }
            return MathRenderer.Formula(tex: span.tex + " \\tag{\(target.number)}", display: span.display)
        }
        var formulas: [MathRenderer.Formula] = []
        var seen: Set<MathRenderer.Formula> = []
        for chapterSpans in spans.compactMap({ $0 }) {
            for span in chapterSpans.spans {
                let formula = formula(span)
                if seen.insert(formula).inserted { formulas.append(formula) }
            }
        }
        guard !formulas.isEmpty, let first = spans.firstIndex(where: { $0 != nil }), let firstSpans = spans[first] else {
            return (spans, [], [], [])
        }
        var problems: [Diagnostic] = []
        var html: [[String: String]] = Array(repeating: [:], count: chapters.count)
        var assets: [(path: String, bytes: [UInt8])] = []
        do {
            let outcomes = try math.render(formulas)
            let byFormula = Dictionary(zip(formulas, outcomes), uniquingKeysWith: { a, _ in a })
            assets = try math.assets()
            for (index, chapterSpans) in spans.enumerated() {
                guard let chapterSpans else { continue }
                for span in chapterSpans.spans {
                    switch byFormula[formula(span)] {
                    case let .html(rendered):
                        html[index][span.token] = rendered
                    case let .error(message, offset):
                        let place = offset.map { chapterSpans.place(of: span, texOffset: $0) }
                            ?? chapterSpans.place(span.range.lowerBound)
                        problems.append(Diagnostic(file: chapters[index].chapter.path, line: place.line, column: place.column,
                                                   message: Self.texMessage(span, message)))
                    case nil:
                        continue
                    }
                }
            }
        } catch {
            let place = firstSpans.place(firstSpans.spans[0].range.lowerBound)
            problems.append(Diagnostic(file: chapters[first].chapter.path, line: place.line, column: place.column,
                                       message: "\(error)"))
        }
        return (spans, html, problems, assets)
    }

    private static func texMessage(_ span: MathSpans.Span, _ message: String) -> String {
        let dollars = span.display ? "$$" : "$"
        var tex = span.tex.split(whereSeparator: \.isNewline).joined(separator: " ")
        if tex.count > 60 { tex = String(tex.prefix(57)) + "…" }
        var reason = message.trimmingCharacters(in: .whitespacesAndNewlines)
        if reason.hasSuffix(".") { reason.removeLast() }
        return "the formula \(dollars)\(tex)\(dollars) is not valid TeX (KaTeX: \(reason)); fix the TeX "
            + "(KaTeX's commands: https://katex.org/docs/supported.html), or write \\$ for a dollar sign that is not math."
    }

    private func checkSlugs(_ chapters: [ExecutedChapter]) throws(SiteError) {
        var seen: [String: String] = [:]
        for executed in chapters {
            let chapter = executed.chapter
            if let other = seen[chapter.slug] {
                throw .duplicateSlug(chapter.slug, files: [other, chapter.path])
            }
            if ["index", "search-index"].contains(chapter.slug) || chapter.slug.contains("/") || chapter.slug.isEmpty {
                throw .invalidSlug(file: chapter.path, slug: chapter.slug)
            }
            seen[chapter.slug] = chapter.path
        }
    }
}
