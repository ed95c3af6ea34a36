import Foundation
import BookModel
import Markdown

/// Renders one executed chapter: its prose, steps and outputs, the TOC and its search entry.
struct ChapterPage {
    let layout: Layout
    let position: Int
    let executed: ExecutedChapter

    struct Output {
        var html: String
        var search: SearchIndex.Chapter
        var artifacts: [(path: String, bytes: [UInt8])]
        var assetReferences: Set<String>
        var anchorReferences: [ProseRenderer.AnchorReference]
        var siteReferences: [(problem: Diagnostic, path: String)]
        var problems: [Diagnostic]
        /// The chapter's part of `print.html` (`PrintPage.fragment`); empty when the book has no print page.
        var print = ""
    }

    /// What every page needs to know about the book.
    struct SiteContext {
        /// The values each chapter (by position) may quote: its own and the book's.
        var values: [ValueScope]
        /// "03-data.md" → "03-data".
        var chapterFiles: [String: String]
        var assets: Set<String>
        /// Each chapter's formulas (by position; nil for a chapter without math) and their HTML by token.
        var math: [MathSpans?] = []
        var mathHTML: [[String: String]] = []
        /// The book's labelled figures, tables, equations and sections.
        var references = CrossReferences()
        /// What each chapter (by slug) offers for download; a chapter without an entry offers nothing.
        var downloads: [String: ChapterDownloadLinks] = [:]
    }

    private var chapter: Chapter { executed.chapter }

    func render(context: SiteContext) throws(SiteError) -> Output {
        let artifacts = try checkedArtifacts()
        var chartCounter = 0
        var referencedFiles: Set<String> = []
        var stepProblems: [Diagnostic] = []
        let results = Dictionary(executed.result.steps.map { ($0.index, $0) }, uniquingKeysWith: { first, _ in first })
        let stepsByLine = Dictionary(chapter.steps.map { ($0.line, $0) }, uniquingKeysWith: { first, _ in first })
        var prose = ProseRenderer(file: chapter.path, markdown: chapter.markdown, values: context.values[position],
                                  chapterFiles: context.chapterFiles, assets: context.assets,
                                  reservedIDs: Layout.reservedIDs)
        let math = position < context.math.count ? context.math[position] : nil
        prose.math = math
        prose.references = context.references
        prose.slug = chapter.slug
        if math != nil, position < context.mathHTML.count { prose.mathHTML = context.mathHTML[position] }
        prose.stepHTML = { line in
            guard let step = stepsByLine[line] else { return nil }
            return stepHTML(step, result: results[step.index], chartCounter: &chartCounter,
                            artifacts: artifacts, referenced: &referencedFiles, references: context.references,
                            problems: &stepProblems)
        }
        let rendered = prose.render(title: chapter.title)
        let headings = rendered.headings.map { TOCEntry(level: $0.level, text: $0.text, id: $0.id) }

        var body = "<p class=\"eyebrow\">Chapter \(chapter.number)</p>\n"
        if !headings.contains(where: { $0.level == 1 }) {
            body += "<h1>\(HTML.escape(chapter.title))</h1>\n"
        }
        body += rendered.html
        let unreferenced = artifacts.filter { !referencedFiles.contains($0.name) }
        if !unreferenced.isEmpty {
            body += "<section class=\"downloads\" id=\"downloads\">\n<p class=\"downloads-title\">Files from this chapter</p>\n<ul>\n"
            for artifact in unreferenced {
                body += Node.element("li", [], [downloadLink(artifact)]).html + "\n"
            }
            body += "</ul>\n</section>\n"
        }
        var main = "<article class=\"chapter-body\">\n" + body
        if let offer = context.downloads[chapter.slug] {
            main += Self.takeHome(offer)
        }
        if let template = layout.book.editURL {
            let file = String(chapter.path.split(separator: "/").last ?? Substring(chapter.path))
            let url = template.replacingOccurrences(of: "{path}", with: Layout.urlPath(file))
            main += "<p class=\"edit-page\"><a href=\"\(HTML.escape(url))\">Edit this page</a></p>\n"
        }
        main += "</article>\n" + pager()

        let description = chapter.summary ?? SiteBasics.excerpt(rendered.sections) ?? layout.book.subtitle
        var head = Layout.Head(title: "\(chapter.title) · \(layout.book.title)", shortTitle: chapter.title,
                               description: description, path: chapter.slug + ".html", type: "article")
        head.math = math != nil
        let html = layout.page(head, current: position, main: main, toc: Layout.toc(headings))
        let search = SearchIndex.Chapter(number: chapter.number, slug: chapter.slug, title: chapter.title,
                                         headings: headings, sections: rendered.sections)
        var output = Output(html: html, search: search,
                            artifacts: artifacts.map { ("files/\(chapter.slug)/\($0.name)", $0.contents) },
                            assetReferences: rendered.assetReferences, anchorReferences: rendered.anchorReferences,
                            siteReferences: rendered.siteReferences, problems: rendered.problems + stepProblems)
        if layout.book.print {
            output.print = PrintPage.fragment(slug: chapter.slug, body: body, chapterSlugs: Set(context.chapterFiles.values))
        }
        return output
    }

    /// "Download this chapter: Swift package (.zip, 84 KB) · Markdown", each a link to the file.
    static func takeHome(_ offer: ChapterDownloadLinks) -> String {
        var links: [String] = []
        if let archive = offer.archivePath {
            links.append("<a href=\"\(HTML.escape(Layout.urlPath(archive)))\" download>Swift package (.zip, \(HTML.escape(ByteSize.format(Int64(offer.archiveSize)))))</a>")
        }
        links.append("<a href=\"\(HTML.escape(Layout.urlPath(offer.markdownPath)))\" download>Markdown</a>")
        return "<p class=\"take-home\">Download this chapter: " + links.joined(separator: " · ") + "</p>\n"
    }

    /// A chapter's published values, from the result and any `value` records.
    static func publishedValues(_ executed: ExecutedChapter) -> [String: String] {
        var values = executed.result.values
        for step in executed.result.steps {
            for case let .record(.value(key, text)) in step.outputs where values[key] == nil {
                values[key] = text
            }
        }
        return values
    }

    private func checkedArtifacts() throws(SiteError) -> [Artifact] {
        for artifact in executed.result.artifacts {
            let components = artifact.name.split(separator: "/", omittingEmptySubsequences: false)
            if artifact.name.isEmpty || artifact.name.hasPrefix("/") || artifact.name.contains("\\")
                || components.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." })
            {
                throw .invalidArtifactName(file: chapter.path, name: artifact.name)
            }
        }
        return executed.result.artifacts.sorted { $0.name < $1.name }
    }

    // MARK: - Steps

    private func stepHTML(_ step: Step, result: StepResult?, chartCounter: inout Int, artifacts: [Artifact],
                          referenced: inout Set<String>, references: CrossReferences,
                          problems: inout [Diagnostic]) -> String {
        switch step.flags.part {
        case .solution?:
            // The student edition holds no trace of a solution (not even hidden): the step becomes nothing.
            guard layout.book.edition == .teacher else { return "" }
            let code = step.code.hasSuffix("\n") ? String(step.code.dropLast()) : step.code
            let block = CodeBlocks.node(highlighted: SwiftHighlighter.highlight(code), badges: [])
            return Node.element("div", ["class": "step solution", "id": "step-\(step.index)"], [
                .newline,
                .element("details", ["class": "fold"], [.element("summary", [], [.text("Show solution")]), .newline, block]),
                .newline,
            ]).html + "\n"
        case .check?:
            // Never shown: its verdict stands beside the exercise; what it printed, or its error, stays here.
            var children: [Node] = [.newline]
            if let result {
                let outputs = result.outputs.filter { if case .record(.check) = $0 { false } else { true } }
                children.append(outputsNode(outputs, chartCounter: &chartCounter, artifacts: artifacts, referenced: &referenced))
                if let failure = result.failure { children.append(failureNode(failure, expected: false)) }
            }
            guard children.count > 1 else { return "" }
            return Node.element("div", ["class": "step check", "id": "step-\(step.index)"], children).html + "\n"
        default:
            break
        }
        var children: [Node] = [.newline]
        // `//| label: fig-x` and `//| fig-cap: "…"` name the step's first chart (or table) and are not shown.
        let options = CrossReferences.StepOptions(step, file: chapter.path)
        var float: (id: String?, caption: String)?
        if let label = options.label, let target = references.targets[label], target.slug == chapter.slug {
            float = (label, target.captionLine)
        } else if let caption = options.caption, options.label == nil {
            float = (nil, caption)
        }
        if !step.flags.hidden {
            var badges: [Node] = []
            if step.flags.part == .exercise { badges.append(.element("span", ["class": "badge exercise"], [.text("exercise")])) }
            if step.flags.norun { badges.append(.element("span", ["class": "badge norun"], [.text("not run")])) }
            if step.flags.expectError { badges.append(.element("span", ["class": "badge expect"], [.text("expected to fail")])) }
            let shown = CrossReferences.StepOptions.shownCode(step.code, options: options)
            let code = shown.hasSuffix("\n") ? String(shown.dropLast()) : shown
            let block = CodeBlocks.node(highlighted: SwiftHighlighter.highlight(code), badges: badges)
            if step.flags.fold ?? layout.book.codeFold {
                // Collapsed without JavaScript: a <summary> is a keyboard-usable button named by its text.
                children.append(.element("details", ["class": "fold"], [
                    .element("summary", [], [.text("Show code")]), .newline, block,
                ]))
                children.append(.newline)
            } else {
                children.append(block)
            }
        }
        if let result, let label = options.label, var place = options.labelPlace, !step.flags.hideOutput, !step.flags.norun,
           result.failure == nil, let kind = CrossReferences.kind(of: label) {
            let shows = result.outputs.contains {
                if case .record(.chart) = $0 { return kind == .figure }
                if case .record(.table) = $0 { return kind == .table }
                return false
            }
            if !shows {
                let what = kind == .figure ? "chart" : "table"
                place.message = "the step is labelled \(label), but it shows no \(what); show one (show(…)) in this step, "
                    + "or remove the label."
                problems.append(place)
            }
        }
        if let result {
            if !step.flags.hideOutput {
                children.append(outputsNode(result.outputs, chartCounter: &chartCounter, artifacts: artifacts,
                                            referenced: &referenced, float: float,
                                            floatKind: options.label.flatMap(CrossReferences.kind(of:)) ?? options.captionKind ?? .figure))
            }
            if let failure = result.failure {
                children.append(failureNode(failure, expected: step.flags.expectError))
            }
        }
        if step.flags.part == .exercise, let exercise = chapter.exercises.first(where: { $0.step.index == step.index }) {
            children.append(verdictNode(executed.verdict(for: exercise)))
        }
        return Node.element("div", ["class": step.flags.part == .exercise ? "step exercise" : "step", "id": "step-\(step.index)"],
                            children).html + "\n"
    }

    /// `float` is the step's label and caption line, for its first chart (`floatKind` figure) or table.
    private func outputsNode(_ outputs: [StepOutput], chartCounter: inout Int, artifacts: [Artifact],
                             referenced: inout Set<String>, float: (id: String?, caption: String)? = nil,
                             floatKind: CrossReferences.Kind = .figure) -> Node {
        var float = float
        var nodes: [Node] = []
        var text: (stream: String, content: String)?
        var metrics: [MetricSpec] = []
        func flush() {
            if let pending = text {
                let content = pending.content.hasSuffix("\n") ? String(pending.content.dropLast()) : pending.content
                let attributes = pending.stream == "stderr"
                    ? [("class", "output stderr"), ("aria-label", "Standard error")] : [("class", "output stdout")]
                // TerminalText escapes the text itself and adds only its own spans for colours.
                nodes += [.element("pre", attributes, [.raw(TerminalText.html(content))]), .newline]
                text = nil
            }
            if !metrics.isEmpty {
                var figures: [Node] = [.newline]
                for metric in metrics {
                    var parts: [Node] = [.element("figcaption", [], [.text(metric.name)]),
                                         .element("p", ["class": "metric-value"], [.text(metric.text)])]
                    if let detail = metric.detail { parts.append(.element("p", ["class": "metric-detail"], [.text(detail)])) }
                    figures += [.element("figure", ["class": "metric"], parts), .newline]
                }
                nodes += [.element("div", ["class": "metrics"], figures), .newline]
                metrics = []
            }
        }
        for output in outputs {
            switch output {
            case let .stdout(chunk), let .stderr(chunk):
                let stream = if case .stdout = output { "stdout" } else { "stderr" }
                if !metrics.isEmpty || (text != nil && text?.stream != stream) { flush() }
                text = (stream, (text?.content ?? "") + chunk)
            case let .record(.metric(metric)):
                if text != nil { flush() }
                metrics.append(metric)
            case let .record(record):
                flush()
                switch record {
                case let .table(table):
                    if let labelled = float, floatKind == .table {
                        float = nil
                        nodes.append(.raw(Self.tableFigure(id: labelled.id, caption: labelled.caption, Tables.html(table))))
                    } else {
                        nodes.append(.raw(Tables.html(table)))
                    }
                case let .chart(chart):
                    chartCounter += 1
                    var id = "chart-\(chartCounter)", caption: String?
                    if let labelled = float, floatKind == .figure {
                        float = nil
                        id = labelled.id ?? id
                        caption = labelled.caption
                    }
                    nodes.append(.raw(ChartRenderer(spec: chart, id: id).figure(caption: caption)))
                case let .file(file):
                    referenced.insert(file.path)
                    var parts: [Node] = []
                    if let artifact = artifacts.first(where: { $0.name == file.path }) {
                        parts.append(downloadLink(artifact))
                    } else {
                        parts.append(.element("span", ["class": "missing"],
                                              [.text("\(file.path) (not found among the chapter's files)")]))
                    }
                    if let description = file.description {
                        parts += [.text(" "), .element("span", [], [.text(description)])]
                    }
                    nodes += [.element("p", ["class": "download"], parts), .newline]
                case let .check(check):
                    // A check outside a check step: shown where it was made.
                    nodes += [.element("p", ["class": check.passed ? "check passed" : "check failed"],
                                       [.text((check.passed ? "✓ " : "✗ ") + check.message)]), .newline]
                case .value, .metric:
                    break
                }
            case let .truncated(droppedBytes):
                flush()
                nodes += [.element("p", ["class": "output-note"],
                                   [.text("Output truncated: \(droppedBytes) more bytes were not kept.")]), .newline]
            }
        }
        flush()
        return nodes.isEmpty ? .group([]) : .group([.element("div", ["class": "outputs"], [.newline] + nodes), .newline])
    }

    /// A table with its caption above it, as a figure: `<figure class="table-figure" id="tbl-x">`.
    static func tableFigure(id: String?, caption: String, _ table: String) -> String {
        let id = id.map { " id=\"\(HTML.escape($0))\"" } ?? ""
        return "<figure class=\"table-figure\"\(id)>\n<figcaption>\(HTML.escape(caption))</figcaption>\n" + table + "</figure>\n"
    }

    private func downloadLink(_ artifact: Artifact) -> Node {
        let href = "files/" + percentEncoded(chapter.slug) + "/" + artifact.name.split(separator: "/").map { percentEncoded(String($0)) }.joined(separator: "/")
        return .group([.element("a", ["href": href, "download": ""], [.text(artifact.name)]), .text(" "),
                       .element("span", ["class": "size"], [.text("(\(Self.size(artifact.contents.count)))")])])
    }

    static func size(_ bytes: Int) -> String {
        if bytes < 1024 { return "\(bytes) bytes" }
        if bytes < 1024 * 1024 { return NumberFormat.fixed(Double(bytes) / 1024, digits: 1) + " KB" }
        return NumberFormat.fixed(Double(bytes) / 1024 / 1024, digits: 1) + " MB"
    }

    private func percentEncoded(_ component: String) -> String {
        var result = ""
        for byte in component.utf8 {
            let scalar = Unicode.Scalar(byte)
            if byte < 0x80, scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "-._~".unicodeScalars.contains(scalar) {
                result.unicodeScalars.append(scalar)
            } else {
                result += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return result
    }

    /// ✓ or ✗ and the check's messages, beside the exercise; announced politely when the page loads.
    private func verdictNode(_ verdict: ExerciseVerdict) -> Node {
        var lines: [Node] = [.newline]
        let checks = verdict.checks.isEmpty ? [CheckSpec(passed: false, message: verdict.message)] : verdict.checks
        for check in checks {
            lines += [.element("li", ["class": check.passed ? "passed" : "failed"], [
                .element("span", ["class": "mark", "aria-hidden": "true"], [.text(check.passed ? "✓" : "✗")]), .text(" "),
                .text(check.message),
            ]), .newline]
        }
        return .group([.element("div", ["class": verdict.passed ? "exercise-result passed" : "exercise-result failed", "role": "status"], [
            .newline,
            .element("p", ["class": "exercise-verdict"], [.text(verdict.passed ? "✓ Exercise passed" : "✗ Exercise not passed yet")]),
            .newline,
            .element("ul", [], lines), .newline,
        ]), .newline])
    }

    private func failureNode(_ failure: StepFailure, expected: Bool) -> Node {
        var location = "\(failure.file):\(failure.line)"
        if let column = failure.column { location += ":\(column)" }
        let title = expected ? "Expected error" : "Error"
        return .group([.element("div", ["class": expected ? "error-box expected" : "error-box", "role": expected ? "note" : "alert"], [
            .element("p", ["class": "error-title"], [.text(title + " "), .element("code", [], [.text(location)])]),
            .element("pre", [], [.raw(TerminalText.html(failure.message))]),
        ]), .newline])
    }

    // MARK: - Navigation

    private func pager() -> String {
        let chapters = layout.chapters
        var html = "<nav class=\"pager\" aria-label=\"Previous and next chapter\">\n"
        if position > 0 {
            let previous = chapters[position - 1]
            html += "<a class=\"prev\" rel=\"prev\" href=\"\(HTML.escape(previous.slug)).html\"><span class=\"dir\">← Previous</span><span class=\"name\">\(HTML.escape(previous.title))</span></a>\n"
        } else {
            html += "<a class=\"prev\" rel=\"prev\" href=\"index.html\"><span class=\"dir\">← Contents</span><span class=\"name\">\(HTML.escape(layout.book.title))</span></a>\n"
        }
        if position + 1 < chapters.count {
            let next = chapters[position + 1]
            html += "<a class=\"next\" rel=\"next\" href=\"\(HTML.escape(next.slug)).html\"><span class=\"dir\">Next →</span><span class=\"name\">\(HTML.escape(next.title))</span></a>\n"
        }
        html += "</nav>\n"
        return html
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}

