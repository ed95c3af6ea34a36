import BookModel

/// Draws a `ChartSpec` as an accessible SVG figure with its data as a table in `<details>`.
///
/// Each kind of chart is a `ChartDrawing` in a file of its own; this wraps it in the `<figure>`, the `<svg>`
/// element with its `<title>` and `<desc>`, and the data table, and adds the spec's markers to both.
/// Colours come from CSS classes (`s1`…`s8` map to `var(--series-1)`…), so dark mode works; every
/// coordinate has one decimal, so output is deterministic.
struct ChartRenderer {
    let spec: ChartSpec
    /// A page-unique id, e.g. "chart-3"; the `<title>` and `<desc>` ids derive from it.
    let id: String
    /// The kind's own drawing, description and data.
    let drawing: any ChartDrawing
    /// What the drawing draws with: the axis labels and the markers it shows.
    let chart: ChartContext

    /// The size of the charts with axes; heatmaps and trees size themselves to their data.
    static let width = 600.0
    static let height = 340.0

    init(spec: ChartSpec, id: String) {
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

    /// The complete `<figure>`; what the chart cannot draw is also said in a note below it. `caption` (a
    /// labelled step's "Figure 3.2: …") replaces the chart's title in the `<figcaption>`.
    func figure(caption: String? = nil) -> String {
        let notes = notDrawn
        let note = notes.isEmpty ? "" : "<p class=\"chart-note\">\(HTML.escape(notes.joined(separator: " ")))</p>\n"
        return "<figure class=\"chart\" id=\"\(id)\">\n<figcaption>\(HTML.escape(caption ?? spec.title))</figcaption>\n"
            + svg() + "\n" + note + dataTable() + "</figure>\n"
    }

    /// The sentences naming data the chart does not draw (values that are not finite, hidden markers).
    var notDrawn: [String] {
        drawing.notDrawn(chart) + chart.hiddenMarkerSentences
    }

    /// The `<svg>` element alone.
    func svg() -> String {
        let canvas = drawing.draw(chart)
        let f = NumberFormat.coordinate
        // As wide as the column up to its own width; a wide one ("scales") shrinks on a phone, so there its
        // text is drawn larger (style.css) to stay readable.
        let scales = canvas.width >= 480 ? " scales" : ""
        let header = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart-svg\(scales)\" viewBox=\"0 0 \(f(canvas.width)) \(f(canvas.height))\""
            + " width=\"100%\" style=\"max-width:\(f(canvas.width))px\" role=\"img\""
            + " aria-labelledby=\"\(id)-title \(id)-desc\">\n"
            + "<title id=\"\(id)-title\">\(HTML.escape(spec.title))</title>\n"
            + "<desc id=\"\(id)-desc\">\(HTML.escape(description))</desc>\n"
        return header + canvas.body + "</svg>"
    }

    /// The `<desc>` sentence: the spec's summary, or one generated from the data; then what is not drawn
    /// (even after a summary: the reader cannot see it either); then the markers.
    var description: String {
        let summary = spec.summary.flatMap { $0.isEmpty ? nil : $0 }
        return (summary ?? drawing.describe(chart)) + notDrawn.map { " " + $0 }.joined() + chart.markerSentence
    }

    /// The chart's data as an HTML table inside `<details>`, then its markers.
    func dataTable() -> String {
        var html = "<details class=\"chart-data\"><summary>Data</summary>\n" + Tables.html(drawing.dataTable(chart))
        if let markers = chart.markerTable {
            html += Tables.html(markers)
        }
        return html + "</details>\n"
    }
}
