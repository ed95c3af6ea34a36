import BookModel

/// A `ChartSpec` drawn as SVG: the one chart drawer of Loopbook, used by the site's pages (which wrap it in a
/// `<figure>` with a data table) and by chapter programs run outside the engine (which write it to a file,
/// see `standaloneDocument()`).
///
/// Each kind of chart is a `ChartDrawing` in a file of its own; this adds the `<svg>` element with its
/// `<title>` and `<desc>`. Colours come from CSS classes (`s1`…`s8`), so the site's dark mode works; every
/// coordinate has one decimal, so output is deterministic.
package struct ChartImage {
    package let spec: ChartSpec
    /// A page-unique id, e.g. "chart-3"; the `<title>` and `<desc>` ids derive from it.
    package let id: String
    /// The kind's own drawing, description and data.
    let drawing: any ChartDrawing
    /// What the drawing draws with: the axis labels and the markers it shows.
    let chart: ChartContext

    /// The size of the charts with axes, in pixels; heatmaps and trees size themselves to their data.
    package static let width = 600.0
    package static let height = 340.0

    package init(spec: ChartSpec, id: String) {
        self.spec = spec
        self.id = id
        drawing = Self.drawing(for: spec.kind)
        chart = ChartContext(spec: spec, showsMarkers: drawing.hasNumericXAxis)
    }

    /// The one place that maps a kind of chart to its drawing.
    static func drawing(for kind: ChartSpec.Kind) -> any ChartDrawing {
        switch kind {
        case let .line(series): LineChart(series: series)
        case let .bar(categories, series): BarChart(categories: categories, series: series)
        case let .histogram(bins): Histogram(bins: bins)
        case let .scatter(points): ScatterChart(points: points)
        case let .heatmap(rows, columns, values): Heatmap(rowLabels: rows, columnLabels: columns, values: values)
        case let .tree(nodes): TreeDiagram(nodes: nodes)
        }
    }

    /// The sentences naming data the chart does not draw (values that are not finite, hidden markers).
    package var notDrawn: [String] {
        drawing.notDrawn(chart) + chart.hiddenMarkerSentences
    }

    /// The `<svg>` element alone, sized to the page's column (`width="100%"`), for a page that styles it.
    package func svg() -> String {
        let canvas = drawing.draw(chart)
        let f = NumberFormat.coordinate
        // As wide as the column up to its own width; a wide one ("scales") shrinks on a phone, so there its
        // text is drawn larger (style.css) to stay readable.
        let scales = canvas.width >= 480 ? " scales" : ""
        let header = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart-svg\(scales)\" viewBox=\"0 0 \(f(canvas.width)) \(f(canvas.height))\""
            + " width=\"100%\" style=\"max-width:\(f(canvas.width))px\" role=\"img\""
            + " aria-labelledby=\"\(id)-title \(id)-desc\">\n"
            + "<title id=\"\(id)-title\">\(XMLText.escape(spec.title))</title>\n"
            + "<desc id=\"\(id)-desc\">\(XMLText.escape(description))</desc>\n"
        return header + canvas.body + "</svg>"
    }

    /// The chart as an SVG file of its own: its natural size, the site's light colours in a `<style>`
    /// element (no stylesheet needed), the title drawn above the chart, and the same `<title>` and `<desc>`.
    /// What `swift run` of a downloaded chapter writes for each chart.
    package func standaloneDocument() -> String {
        let canvas = drawing.draw(chart)
        let f = NumberFormat.coordinate
        let top = 28.0
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart-svg\" width=\"\(f(canvas.width))\" height=\"\(f(canvas.height + top))\""
            + " viewBox=\"0 0 \(f(canvas.width)) \(f(canvas.height + top))\" role=\"img\" aria-labelledby=\"\(id)-title \(id)-desc\">\n"
            + "<title id=\"\(id)-title\">\(XMLText.escape(spec.title))</title>\n"
            + "<desc id=\"\(id)-desc\">\(XMLText.escape(description))</desc>\n"
            + "<style>\n\(Self.standaloneStyle)</style>\n"
            + "<rect class=\"background\" x=\"0\" y=\"0\" width=\"\(f(canvas.width))\" height=\"\(f(canvas.height + top))\"/>\n"
            + "<text class=\"heading\" x=\"8\" y=\"19\">\(XMLText.escape(spec.title))</text>\n"
            + "<g transform=\"translate(0 \(f(top)))\">\n" + canvas.body + "</g>\n</svg>\n"
    }

    /// The chart classes of the site's stylesheet with its light theme's colours written out.
    static let standaloneStyle = """
        svg { font-family: -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", "Liberation Sans", sans-serif; }
        .background { fill: #ffffff; }
        .heading { fill: #1d2125; font-size: 15px; font-weight: 650; }
        text { fill: #5b6570; font-size: 12px; }
        .not-finite { fill: #8a5a00; font-weight: 600; }
        .legend, .label { fill: #1d2125; }
        .label { font-weight: 600; }
        .grid { stroke: #e6e9ee; }
        .axis { stroke: #9aa4ae; }
        .s1 { --c: #2563b8; } .s2 { --c: #e07a1f; } .s3 { --c: #2f8a4e; } .s4 { --c: #c9383a; }
        .s5 { --c: #7553c4; } .s6 { --c: #8c5a2b; } .s7 { --c: #d14d99; } .s8 { --c: #5d6b79; }
        .line { fill: none; stroke: var(--c, #2563b8); stroke-width: 2.2; stroke-linejoin: round; stroke-linecap: round; }
        .band { fill: var(--c, #2563b8); opacity: 0.16; }
        .bar, .swatch, .dot { fill: var(--c, #2563b8); }
        .dot { stroke: #ffffff; stroke-width: 0.8; }
        .dot.hl { stroke: #1d2125; stroke-width: 2; }
        circle.dot.hl:not([class*=" s"]) { fill: none; }
        .marker { stroke: #4a5561; stroke-width: 1.5; stroke-dasharray: 5 4; }
        .marker-label { fill: #4a5561; font-weight: 600; }
        .cell { fill: #2563b8; }
        .count { fill: #1d2125; font-weight: 600; }
        .count.on { fill: #fff; }
        .edge { fill: none; stroke: #9aa4ae; stroke-width: 1.5; }
        .edge.cut { stroke-dasharray: 3 3; }
        .node { fill: #f6f7f9; stroke: #9aa4ae; }
        .node.leaf { fill: #e8f1fc; stroke: #0a62c9; }
        .node-label { fill: #1d2125; font-weight: 600; text-anchor: middle; }
        .node-detail { font-size: 10px; text-anchor: middle; }

        """

    /// The `<desc>` sentence: the spec's summary, or one generated from the data; then what is not drawn
    /// (even after a summary: the reader cannot see it either); then the markers.
    package var description: String {
        let summary = spec.summary.flatMap { $0.isEmpty ? nil : $0 }
        return (summary ?? drawing.describe(chart)) + notDrawn.map { " " + $0 }.joined() + chart.markerSentence
    }

    /// The data the chart shows, as a table (markers aside).
    package var dataTable: TableSpec { drawing.dataTable(chart) }

    /// The markers as a table, if the chart draws any.
    package var markerTable: TableSpec? { chart.markerTable }
}
