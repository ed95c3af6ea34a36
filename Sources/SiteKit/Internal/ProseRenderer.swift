import BookModel
import Markdown

/// Renders a chapter's Markdown as one document: placeholders replaced in text only, links to chapters and
/// files resolved, callouts, heading anchors, code blocks and the steps' HTML placed where the steps stand.
///
/// Everything works on cmark's tree, never on generated HTML: a value goes into a text node (cmark escapes
/// it), a link destination (percent-encoded, so it can never add a scheme) or raw HTML (entity-escaped);
/// it can never become markup.
struct ProseRenderer {
    /// "Content/03-data.md": where problems are reported.
    let file: String
    let markdown: String
    let values: ValueScope
    /// Chapter file names ("03-data.md") by slug-less lookup: file name → slug.
    let chapterFiles: [String: String]
    /// Files beside the chapters, relative to the content folder.
    let assets: Set<String>
    /// Ids the page already uses (headings never take them).
    let reservedIDs: Set<String>
    /// The HTML of a step, by the line of its opening fence.
    var stepHTML: (Int) -> String? = { _ in nil }
    /// The chapter's formulas (nil when it has none): cmark reads `math.source`, where each formula is a token.
    var math: MathSpans?
    /// Each formula's HTML, by its token.
    var mathHTML: [String: String] = [:]
    /// The book's labels (figures, tables, equations, sections), for `{#fig-x}` definitions and `@fig-x` references.
    var references = CrossReferences()
    /// This page's slug: a reference to a label on it links to `#label` alone.
    var slug = ""

    /// A link to a section of a chapter page, checked once every page is rendered.
    struct AnchorReference: Sendable {
        var place: Diagnostic
        var slug: String
        var anchor: String
        var written: String
    }

    struct Output {
        var html: String
        var headings: [Markdown.Heading]
        /// Plain text per section, for search: (heading id, heading text, text); the first has id "".
        var sections: [SearchIndex.Section]
        /// Asset paths (relative to the content folder) the document links to or shows.
        var assetReferences: Set<String>
        var anchorReferences: [AnchorReference]
        /// Paths that are not in the content folder, with the problem to report unless the site has them.
        var siteReferences: [(problem: Diagnostic, path: String)] = []
        var problems: [Diagnostic]
    }

    /// The deepest nesting of block quotes and lists a chapter may have (the browser's own limits are near).
    static let maxDepth = 100

    func render(title: String) -> Output {
        let source = math?.source ?? markdown
        let lines = SourceLines(source)
        // A formula's TeX by its token's opening tag (cmark keeps `<lb-math-3>` and `</lb-math-3>` as two nodes).
        let mathTeX = Dictionary((math?.spans ?? []).map { (String($0.token.prefix { $0 != ">" }) + ">", $0.tex) },
                                 uniquingKeysWith: { a, _ in a })
        var problems: [Diagnostic] = []
        var assetReferences: Set<String> = []
        var anchorReferences: [AnchorReference] = []
        var siteReferences: [(Diagnostic, String)] = []
        // Labelled steps' captions by their fence's line, for search.
        var stepCaptions: [Int: String] = [:]
        if !references.targets.isEmpty {
            for target in references.targets.values where target.slug == slug {
                if let line = target.stepLine { stepCaptions[line] = target.captionLine }
            }
        }
        func problem(_ position: Markdown.Position, _ message: String) {
            let position = math?.original(position) ?? position
            problems.append(Diagnostic(file: file, line: max(position.line, 1),
                                       column: position.column > 0 ? position.column : nil, message: message))
        }

        return Markdown.withDocument(source) { document in
            let nodes = document.nodes()
            // Depth first: the rest walks parents, which must stay cheap.
            if let deep = document.nodeNestedDeeperThan(Self.maxDepth) {
                problem(deep.start, "block quotes and lists are nested more than \(Self.maxDepth) levels deep here; "
                        + "a page cannot show that, so nest less.")
                return Output(html: "", headings: [], sections: [], assetReferences: [], anchorReferences: [],
                              problems: problems)
            }

            // 1. Values and links, in text only.
            for node in nodes {
                switch node.kind {
                case .text:
                    guard let literal = node.literal, literal.containsByte(0x7B) else { continue }
                    node.literal = substitute(in: literal, at: node, lines: lines, report: problem)
                case .htmlBlock, .htmlInline:
                    guard let literal = node.literal else { continue }
                    if literal.containsByte(0x7B) {
                        node.literal = substituteHTML(in: literal, at: node.start, report: problem)
                    }
                    var html = node.literal ?? ""
                    for reference in Self.htmlReferences(in: html) {
                        // A chapter named by its Markdown file (href="04-model.md#split") becomes its page here too.
                        if let resolved = resolve(reference.value, at: node.start, isImage: nil, assets: &assetReferences,
                                                  anchors: &anchorReferences, siteReferences: &siteReferences,
                                                  report: problem) {
                            html = html.replacingOccurrences(of: reference.written, with: "\"" + HTML.escape(resolved) + "\"")
                        }
                    }
                    if html != node.literal { node.literal = html }
                case .link, .image:
                    if let title = node.title, title.containsByte(0x7B) {
                        node.title = substitute(in: title, at: node, lines: nil, report: problem)
                    }
                    guard var url = node.url else { continue }
                    if url.containsByte(0x7B) {
                        url = substituteURL(in: url, at: node.start, report: problem)
                        node.url = url
                    }
                    if let resolved = resolve(url, at: node.start, isImage: node.kind == .image,
                                              assets: &assetReferences, anchors: &anchorReferences,
                                              siteReferences: &siteReferences, report: problem) {
                        node.url = resolved
                    }
                default:
                    continue
                }
            }

            // 2. Callouts: a block quote whose first line is `[!NOTE]` (GitHub's alerts). All are found before
            // any is changed: changing frees nodes that `nodes` still lists.
            var callouts: [(node: Markdown.Node, paragraph: Markdown.Node, marker: Markdown.Node, kind: String)] = []
            for node in nodes where node.kind == .blockQuote {
                guard let paragraph = node.firstChild, paragraph.kind == .paragraph, let marker = paragraph.firstChild,
                      marker.kind == .text, let kind = Self.calloutKind(marker.literal ?? ""),
                      marker.next == nil || marker.next?.kind == .softBreak || marker.next?.kind == .lineBreak
                else { continue }
                callouts.append((node, paragraph, marker, kind))
            }
            for (node, paragraph, marker, kind) in callouts {
                marker.next?.remove()
                marker.remove()
                if paragraph.firstChild == nil { paragraph.remove() }
                let name = kind.prefix(1).uppercased() + kind.dropFirst()
                node.replaceContainer(before: "<div class=\"callout \(kind)\" role=\"note\">\n<p class=\"callout-title\">\(name)</p>",
                                      after: "</div>")
            }

            // 2b. Figures, table captions and section labels: `![Caption](x.png){#fig-x}`, a `: Caption {#tbl-x}`
            // paragraph after a table, `## Title {#sec-x}`. All are found before any is changed (changing frees nodes).
            var figures: [(paragraph: Markdown.Node, html: String, search: String)] = []
            var captions: [Markdown.Node] = []
            var tableCaptions: [Markdown.Node: CrossReferences.Target] = [:]
            var sectionIDs: [Markdown.Node: String] = [:]
            func own(_ label: String) -> CrossReferences.Target? {
                references.targets[label].flatMap { $0.slug == slug ? $0 : nil }
            }
            let definesLabels = !references.targets.isEmpty && CrossReferences.mayDefine(source)
            for node in definesLabels ? document.nodes() : [] {
                switch node.kind {
                case .paragraph:
                    if let (label, caption) = CrossReferences.figureParagraph(node), let image = node.firstChild,
                       let target = own(label), target.kind == .figure {
                        let title = image.title.flatMap { $0.isEmpty ? nil : " title=\"\(HTML.escape($0))\"" } ?? ""
                        let html = "<figure class=\"figure\" id=\"\(HTML.escape(label))\">\n"
                            + "<img src=\"\(HTML.escape(image.url ?? ""))\" alt=\"\(HTML.escape(caption))\"\(title)>\n"
                            + "<figcaption>\(HTML.escape(target.captionLine))</figcaption>\n</figure>"
                        figures.append((node, html, target.captionLine))
                    } else if let (label, _) = CrossReferences.tableCaption(node), let table = node.previous,
                              table.kind == .table, let target = own(label), target.kind == .table {
                        captions.append(node)
                        tableCaptions[table] = target
                    }
                case .heading:
                    guard let (label, _) = CrossReferences.headingAttribute(node), own(label)?.kind == .section else { continue }
                    var last = node.firstChild
                    while let next = last?.next { last = next }
                    if let last, let found = CrossReferences.trailingAttribute(last.literal ?? "") {
                        last.literal = found.rest
                        sectionIDs[node] = label
                    }
                default:
                    continue
                }
            }
            var figureCaptions: [Markdown.Node: String] = [:]
            for figure in figures {
                figureCaptions[figure.paragraph.replace(withHTMLBlock: figure.html)] = figure.search
            }
            for caption in captions { caption.remove() }

            // 2c. References: `@fig-x` (and `[-@fig-x]`, `[Fig. @fig-x]`) in text become links that say "Figure 3.2".
            let mayRefer = source.containsByte(UInt8(ascii: "@"))
            for node in mayRefer ? document.nodes() : [] where node.kind == .text {
                guard let literal = node.literal, literal.containsByte(UInt8(ascii: "@")), !Self.isInLink(node) else { continue }
                let found = CrossReferences.references(in: literal)
                guard !found.isEmpty else { continue }
                var pieces: [(text: String, link: (href: String, text: String)?)] = []
                var copied = literal.startIndex
                var searchFrom = node.start
                for reference in found {
                    guard let at = lines.find(reference.written, from: searchFrom, to: node.end)
                            ?? lines.find(reference.written, from: Markdown.Position(line: searchFrom.line, column: 1), to: node.end),
                          !(at.column > 1 && lines.byte(before: at) == UInt8(ascii: "\\")) else {
                        continue  // a value's text, or written `\@fig-x`: an at sign
                    }
                    searchFrom = Markdown.Position(line: at.line, column: at.column + reference.written.utf8.count)
                    guard let target = references.targets[reference.label] else {
                        problem(at, references.unknownMessage(reference))
                        continue
                    }
                    pieces.append((String(literal[copied..<reference.range.lowerBound]),
                                   (target.href(from: slug), CrossReferences.text(of: reference, target))))
                    copied = reference.range.upperBound
                }
                guard !pieces.isEmpty else { continue }
                node.literal = pieces[0].text
                var last = node
                for (index, piece) in pieces.enumerated() {
                    if index > 0 { last = last.insertText(after: piece.text) }
                    guard let link = piece.link else { continue }
                    last = last.insertHTMLInline(after: "<a class=\"xref\" href=\"\(HTML.escape(link.href))\">")
                    last = last.insertText(after: link.text)
                    last = last.insertHTMLInline(after: "</a>")
                }
                if copied < literal.endIndex { last.insertText(after: String(literal[copied...])) }
            }

            // 3. Headings: anchors with unique ids, and the search sections they start.
            let current = document.nodes()
            // Headings never take a label's id (a heading "Fig loop" next to a figure {#fig-loop}).
            var used = reservedIDs.union(sectionIDs.values)
            if !references.targets.isEmpty { used.formUnion(references.targets.values.filter { $0.slug == slug }.map(\.label)) }
            var headings: [Markdown.Heading] = []
            var sections = [SearchIndex.Section(id: "", heading: title, text: "")]
            var inHeading: Markdown.Node?
            for node in current {
                if let heading = inHeading, !Self.isInside(node, heading) { inHeading = nil }
                switch node.kind {
                case .heading:
                    let text = mathTeX.isEmpty ? node.plainText : Self.plainText(node, math: mathTeX)
                    let id = sectionIDs[node] ?? Markdown.uniqueID(Markdown.slug(text), used: &used)
                    headings.append(Markdown.Heading(level: node.headingLevel, text: text, id: id))
                    if sections.count == 1, sections[0].text.isEmpty, node.headingLevel == 1 {
                        sections[0] = SearchIndex.Section(id: id, heading: text, text: "")
                    } else {
                        sections.append(SearchIndex.Section(id: id, heading: text, text: ""))
                    }
                    inHeading = node
                case .text, .code:
                    guard inHeading == nil else { continue }
                    Self.append(node.literal ?? "", to: &sections)
                case .htmlInline, .htmlBlock:
                    // A formula is searched as its TeX.
                    guard inHeading == nil, !mathTeX.isEmpty, let tex = mathTeX[node.literal ?? ""] else { continue }
                    Self.append(tex, to: &sections)
                case .codeBlock:
                    if node.fenceInfo.map(Self.isStep) != true {
                        Self.append(node.literal ?? "", to: &sections)
                    } else if let caption = stepCaptions[(math?.original(node.start) ?? node.start).line] {
                        Self.append(caption, to: &sections)  // a labelled step's chart or table
                    }
                case .customBlock:
                    if let caption = figureCaptions[node] { Self.append(caption, to: &sections) }
                case .table:
                    if let target = tableCaptions[node] { Self.append(target.captionLine, to: &sections) }
                default:
                    continue
                }
            }
            for (node, heading) in zip(current.filter { $0.kind == .heading }, headings) {
                node.prependHTMLInline(Markdown.anchor(id: heading.id))
            }

            // 4. Steps, code blocks and tables become their HTML.
            for node in current {
                switch node.kind {
                case .codeBlock:
                    let info = node.fenceInfo
                    if let info, Self.isStep(info), let html = stepHTML((math?.original(node.start) ?? node.start).line) {
                        node.replace(withHTMLBlock: html)
                        continue
                    }
                    let language = info?.split(whereSeparator: \.isWhitespace).first.map(String.init) ?? ""
                    var code = node.literal ?? ""
                    if code.hasSuffix("\n") { code.removeLast() }
                    let highlighted = language == "swift" ? SwiftHighlighter.highlight(code) : HTML.escape(code)
                    node.replace(withHTMLBlock: CodeBlocks.block(highlighted: highlighted,
                                                                 language: language.isEmpty ? "text" : language))
                case .table:
                    if let target = tableCaptions[node] {
                        node.wrap(before: "<figure class=\"table-figure\" id=\"\(HTML.escape(target.label))\">\n"
                                  + "<figcaption>\(HTML.escape(target.captionLine))</figcaption>\n<div class=\"table-wrap prose-table\">",
                                  after: "</div>\n</figure>")
                    } else {
                        node.wrap(before: "<div class=\"table-wrap prose-table\">", after: "</div>")
                    }
                default:
                    continue
                }
            }
            let finished = sections.enumerated().filter {
                $0.offset == 0 || !$0.element.text.isEmpty || !$0.element.heading.isEmpty
            }.map(\.element)
            var html = Self.labelTaskCheckboxes(document.html())
            if let math {
                html = math.replacingTokens(in: html) { span in
                    let rendered = mathHTML[span.token] ?? HTML.escape(span.tex)
                    guard let label = span.label, own(label)?.kind == .equation else { return rendered }
                    return "<span class=\"equation\" id=\"\(HTML.escape(label))\">" + rendered + "</span>"
                }
            }
            return Output(html: html, headings: headings, sections: finished,
                          assetReferences: assetReferences, anchorReferences: anchorReferences,
                          siteReferences: siteReferences.map { (problem: $0.0, path: $0.1) }, problems: problems)
        }
    }

    /// Task-list boxes (`- [ ]`, `- [x]`) as cmark-gfm writes them, given a name: a form control must have one,
    /// and its state (checked or not) is what a screen reader says next.
    static func labelTaskCheckboxes(_ html: String) -> String {
        guard html.byteRange(of: "<input type=\"checkbox\"") != nil else { return html }
        return html
            .replacingBytes("<input type=\"checkbox\" disabled=\"\" />",
                           with: "<input type=\"checkbox\" disabled=\"\" aria-label=\"Task\" />")
            .replacingBytes("<input type=\"checkbox\" checked=\"\" disabled=\"\" />",
                           with: "<input type=\"checkbox\" checked=\"\" disabled=\"\" aria-label=\"Task\" />")
    }

    /// The HTML of Markdown with no steps and no values (an introduction, a test).
    static func preview(_ markdown: String, values: [String: String] = [:], file: String = "Content/README.md") -> Output {
        ProseRenderer(file: file, markdown: markdown, values: ValueScope(values), chapterFiles: [:], assets: [], reservedIDs: [])
            .render(title: "")
    }

    // MARK: - Placeholders

    /// A text with its placeholders replaced by values (as text: the renderer escapes it). A `{{` written
    /// with an escape (`\{{`) or an entity is text, not a placeholder: only what the source spells as
    /// `{{ key }}` is replaced.
    private func substitute(in literal: String, at node: Markdown.Node, lines: SourceLines?,
                            report: (Markdown.Position, String) -> Void) -> String {
        var result = ""
        var searchFrom = node.start
        for piece in Placeholders.scan(literal) {
            switch piece {
            case let .text(text):
                result += text
            case let .placeholder(key, written):
                var position = node.start
                if let lines {
                    // cmark's inline positions can be a little off; the node's lines are searched if need be.
                    guard let found = lines.find(written, from: searchFrom, to: node.end)
                            ?? lines.find(written, from: Markdown.Position(line: searchFrom.line, column: 1), to: node.end)
                    else {
                        result += written  // not in the source as written (escapes or entities): literal text
                        continue
                    }
                    if found.column > 1, lines.byte(before: found) == UInt8(ascii: "\\") {
                        result += written
                        searchFrom = Markdown.Position(line: found.line, column: found.column + 1)
                        continue
                    }
                    position = found
                    searchFrom = Markdown.Position(line: found.line, column: found.column + written.utf8.count)
                }
                if result.hasSuffix("]("), written.contains(" ") {
                    report(position, "\(written) was meant as a link destination, but a destination cannot hold "
                           + "spaces, so Markdown did not read a link here; write ({{\(key)}}) or (<\(written)>).")
                }
                guard let value = values[key] else {
                    report(position, unknownKey(key, written))
                    result += written
                    continue
                }
                result += value.replacingNewlines()
            case let .malformed(text):
                report(node.start, "the placeholder '\(text)' is not closed or names no key; write {{ key }}, "
                       + "or \\{{ for literal braces.")
                result += text
            }
        }
        return result
    }

    /// A link destination with values percent-encoded: a value cannot add a scheme, a host or a fragment.
    private func substituteURL(in url: String, at position: Markdown.Position,
                               report: (Markdown.Position, String) -> Void) -> String {
        var result = ""
        for piece in Placeholders.scan(url) {
            switch piece {
            case let .text(text): result += text
            case let .placeholder(key, written):
                guard let value = values[key] else {
                    report(position, unknownKey(key, written))
                    continue
                }
                result += URLText.percentEncoded(value)
            case let .malformed(text):
                report(position, "the placeholder '\(text)' in a link is not closed or names no key; write {{ key }}.")
                result += text
            }
        }
        return result
    }

    /// Raw HTML with values entity-escaped (in a URL attribute percent-encoded; never in a script or style).
    private func substituteHTML(in html: String, at position: Markdown.Position,
                                report: (Markdown.Position, String) -> Void) -> String {
        var result = ""
        for piece in Placeholders.scan(html, escapes: true) {
            switch piece {
            case let .text(text): result += text
            case let .placeholder(key, written):
                guard let value = values[key] else {
                    report(position, unknownKey(key, written))
                    continue
                }
                switch HTMLContext.of(result) {
                case .text: result += HTML.escape(value.replacingNewlines())
                case .attribute: result += HTMLContext.escapeAttribute(value.replacingNewlines())
                case .url: result += HTML.escape(URLText.percentEncoded(value))
                case let .forbidden(attribute):
                    report(position, attribute.hasPrefix("a tag")
                           ? "\(written) stands inside an HTML tag where an attribute name belongs; a value may only "
                             + "be an attribute's value or text."
                           : "\(written) stands in the attribute '\(attribute)', where a value could run as script; "
                             + "put it in text or an ordinary attribute instead.")
                }
            case let .malformed(text):
                report(position, "the placeholder '\(text)' is not closed or names no key; write {{ key }}, "
                       + "or \\{{ for literal braces.")
                result += text
            }
        }
        return result
    }

    private func unknownKey(_ key: String, _ written: String) -> String {
        values.unknownMessage(key, written)
    }

    // MARK: - Links

    /// Resolves a link or image destination: `NN-slug.md[#anchor]` becomes the chapter's page, a file
    /// beside the chapters is published; a missing chapter, anchor or file is reported. Returns the new
    /// destination, or nil to keep it.
    private func resolve(_ url: String, at position: Markdown.Position, isImage: Bool?, assets found: inout Set<String>,
                         anchors: inout [AnchorReference], siteReferences: inout [(Diagnostic, String)],
                         report: (Markdown.Position, String) -> Void) -> String? {
        guard !url.isEmpty, !URLText.hasScheme(url), !url.hasPrefix("/"), !url.hasPrefix("?") else { return nil }
        let (pathPart, fragment) = URLText.splitFragment(url)
        let what = isImage.map { $0 ? "the image" : "the link" } ?? "the HTML reference"
        if pathPart.isEmpty {
            if let fragment, !fragment.isEmpty {
                anchors.append(AnchorReference(place: place(position), slug: "", anchor: URLText.percentDecoded(fragment),
                                               written: url))
            }
            return nil
        }
        let path = URLText.percentDecoded(String(pathPart.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)[0]))
        guard let normalized = URLText.normalized(path) else {
            report(position, "\(what) '\(url)' leaves the content folder; only files inside it can be published, "
                   + "so move the file in and link to it there.")
            return nil
        }
        let fileName = normalized.split(separator: "/").last.map(String.init) ?? normalized
        if normalized.hasSuffix(".md") || normalized.hasSuffix(".html") {
            let key = normalized.hasSuffix(".html") ? String(normalized.dropLast(5)) + ".md" : normalized
            if let slug = chapterFiles[key], !normalized.contains("/") {
                if let fragment, !fragment.isEmpty {
                    anchors.append(AnchorReference(place: place(position), slug: slug,
                                                   anchor: URLText.percentDecoded(fragment), written: url))
                }
                return slug + ".html" + (fragment.map { "#" + $0 } ?? "")
            }
            if normalized.hasSuffix(".md"), !assets.contains(normalized) {
                do {
                    let chapters = chapterFiles.keys.sorted()
                    let list = chapters.count <= 12 ? chapters.joined(separator: ", ") :
                        chapters.prefix(12).joined(separator: ", ") + ", …"
                    report(position, "\(what) '\(url)' points to '\(fileName)', which is not a chapter of this book "
                           + "(its chapters are \(list)); fix the name or remove the link.")
                    return nil
                }
            }
        }
        if assets.contains(normalized) {
            found.insert(normalized)
        } else {
            // Maybe a file the site makes itself (index.html, a chapter's download under files/): checked
            // once every page is rendered.
            var place = place(position)
            place.message = "\(what) '\(url)' points to '\(normalized)', which is not in the content folder; "
                + "add the file there or fix the path."
            siteReferences.append((place, normalized))
        }
        return nil
    }

    private func place(_ position: Markdown.Position) -> Diagnostic {
        let position = math?.original(position) ?? position
        return Diagnostic(file: file, line: max(position.line, 1), column: position.column > 0 ? position.column : nil,
                   message: "")
    }

    /// `href` and `src` values of raw HTML (`<img src="images/x.png">`), to publish and check what they name.
    static func htmlReferences(in html: String) -> [(value: String, written: String)] {
        guard html.containsByte(0x3D) else { return [] }
        var result: [(value: String, written: String)] = []
        let bytes = Array(html.utf8)
        var index = 0
        while index < bytes.count {
            // A name ending in "src" or "href", then "=", then a quoted value.
            guard bytes[index] == UInt8(ascii: "=") else { index += 1; continue }
            var nameEnd = index
            while nameEnd > 0, bytes[nameEnd - 1] == 0x20 { nameEnd -= 1 }
            var nameStart = nameEnd
            while nameStart > 0, Self.isNameByte(bytes[nameStart - 1]) { nameStart -= 1 }
            let name = String(decoding: bytes[nameStart..<nameEnd], as: UTF8.self).lowercased()
            var valueStart = index + 1
            while valueStart < bytes.count, bytes[valueStart] == 0x20 { valueStart += 1 }
            guard name == "src" || name == "href", valueStart < bytes.count,
                  bytes[valueStart] == 0x22 || bytes[valueStart] == 0x27,
                  let close = bytes[(valueStart + 1)...].firstIndex(of: bytes[valueStart]) else { index += 1; continue }
            result.append((HTML.unescape(String(decoding: bytes[(valueStart + 1)..<close], as: UTF8.self)),
                           String(decoding: bytes[valueStart...close], as: UTF8.self)))
            index = close + 1
        }
        return result
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        (0x61...0x7A).contains(byte) || (0x41...0x5A).contains(byte) || (0x30...0x39).contains(byte) || byte == 0x2D
    }

    // MARK: - Helpers

    static func isStep(_ info: String) -> Bool {
        info.split(whereSeparator: \.isWhitespace).first == "swift"
    }

    static let calloutKinds = ["note", "tip", "important", "warning", "caution"]

    static func calloutKind(_ text: String) -> String? {
        guard text.hasPrefix("[!"), text.hasSuffix("]") else { return nil }
        let kind = text.dropFirst(2).dropLast().lowercased()
        return calloutKinds.contains(kind) ? kind : nil
    }

    /// Whether a text is a link's or image's (a reference there would be a link in a link).
    private static func isInLink(_ node: Markdown.Node) -> Bool {
        var current = node.parent
        while let parent = current, parent.kind != .paragraph, parent.kind != .heading, parent.kind != .tableCell {
            if parent.kind == .link || parent.kind == .image { return true }
            current = parent.parent
        }
        return false
    }

    private static func isInside(_ node: Markdown.Node, _ ancestor: Markdown.Node) -> Bool {
        var current = node.parent
        while let parent = current {
            if parent == ancestor { return true }
            if parent.kind != .emphasis && parent.kind != .strong && parent.kind != .link && parent.kind != .image
                && parent.kind != .strikethrough && parent.kind != .heading { return false }
            current = parent.parent
        }
        return false
    }

    /// A heading's text with its formulas as TeX.
    private static func plainText(_ node: Markdown.Node, math: [String: String]) -> String {
        var text = ""
        for child in node.descendants() {
            switch child.kind {
            case .text, .code: text += child.literal ?? ""
            case .softBreak, .lineBreak: text += " "
            case .htmlInline: text += math[child.literal ?? ""] ?? ""
            default: break
            }
        }
        return text
    }

    /// Appends `text` to the last section, its runs of white space as single spaces.
    private static func append(_ text: String, to sections: inout [SearchIndex.Section]) {
        let words = Self.collapsingWhitespace(text)
        guard !words.isEmpty else { return }
        let last = sections.count - 1
        if !sections[last].text.isEmpty { sections[last].text += " " }
        sections[last].text += words
    }
}

extension ProseRenderer {
    /// `text`'s words joined by single spaces, as `split(whereSeparator: \.isWhitespace)` would give them;
    /// ASCII text (nearly all prose) is done on bytes, without breaking it into Characters (a big book's
    /// rebuild spent a third of its time there).
    static func collapsingWhitespace(_ text: String) -> String {
        let utf8 = text.utf8
        guard utf8.allSatisfy({ $0 < 0x80 }) else {
            return text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count)
        var pendingSpace = false
        for byte in utf8 {
            if byte == 0x20 || (0x09...0x0D).contains(byte) {
                pendingSpace = !bytes.isEmpty
            } else {
                if pendingSpace { bytes.append(0x20); pendingSpace = false }
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// The source as bytes with line starts, to find where a placeholder was written.
struct SourceLines {
    let bytes: [UInt8]
    let starts: [Int]

    init(_ text: String) {
        bytes = Array(text.utf8)
        var starts = [0]
        for (offset, byte) in bytes.enumerated() where byte == 0x0A { starts.append(offset + 1) }
        self.starts = starts
    }

    private func offset(_ position: Markdown.Position) -> Int? {
        guard position.line >= 1, position.line <= starts.count, position.column >= 1 else { return nil }
        return min(starts[position.line - 1] + position.column - 1, bytes.count)
    }

    /// Where `needle` first occurs from `start` up to the end of line `end.line` (nil when it does not).
    func find(_ needle: String, from start: Markdown.Position, to end: Markdown.Position) -> Markdown.Position? {
        let needle = Array(needle.utf8)
        guard let from = offset(start), !needle.isEmpty else { return nil }
        let lastLine = max(end.line, start.line)
        let limit = lastLine < starts.count ? starts[lastLine] : bytes.count
        var index = from
        while index + needle.count <= limit {
            if bytes[index] == needle[0], bytes[index..<(index + needle.count)].elementsEqual(needle) {
                var low = 0, high = starts.count - 1  // the last line starting at or before `index`
                while low < high {
                    let middle = (low + high + 1) / 2
                    if starts[middle] <= index { low = middle } else { high = middle - 1 }
                }
                let line = low
                return Markdown.Position(line: line + 1, column: index - starts[line] + 1)
            }
            index += 1
        }
        return nil
    }

    func byte(before position: Markdown.Position) -> UInt8? {
        guard let offset = offset(position), offset > 0 else { return nil }
        return bytes[offset - 1]
    }
}

extension String {
    fileprivate func replacingNewlines() -> String {
        guard containsByte(0x0A) || containsByte(0x0D) else { return self }
        return String(map { $0 == "\n" || $0 == "\r" || $0 == "\r\n" ? " " : $0 })
    }
}
