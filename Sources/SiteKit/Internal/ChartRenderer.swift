import BookModel
import ChartSVG

/// Draws a `ChartSpec` as an accessible SVG figure with its data as a table in `<details>`.
///
/// The drawing is `ChartImage`'s (module `ChartSVG`, shared with chapter programs run outside the engine);
/// this wraps it in the `<figure>` with its caption, a note of what is not drawn, and the data table.
struct ChartRenderer {
    let image: ChartImage

    /// The size of the charts with axes; heatmaps and trees size themselves to their data.
    static let width = ChartImage.width
    static let height = ChartImage.height

    /// `id` is page-unique, e.g. "chart-3"; the `<title>` and `<desc>` ids derive from it.
    init(spec: ChartSpec, id: String) {
        image = ChartImage(spec: spec, id: id)
    }

    var spec: ChartSpec { image.spec }
    var id: String { image.id }

    /// The complete `<figure>`; what the chart cannot draw is also said in a note below it. `caption` (a
    /// labelled step's "Figure 3.2: …") replaces the chart's title in the `<figcaption>`.
    func figure(caption: String? = nil) -> String {
        let notes = notDrawn
        let note = notes.isEmpty ? "" : "<p class=\"chart-note\">\(HTML.escape(notes.joined(separator: " ")))</p>\n"
        return "<figure class=\"chart\" id=\"\(id)\">\n<figcaption>\(HTML.escape(caption ?? spec.title))</figcaption>\n"
            + svg() + "\n" + note + dataTable() + "</figure>\n"
    }

    /// The sentences naming data the chart does not draw (values that are not finite, hidden markers).
    var notDrawn: [String] { image.notDrawn }

    /// The `<svg>` element alone.
    func svg() -> String { image.svg() }

    /// The `<desc>` sentence: the spec's summary or one generated from the data, what is not drawn, the markers.
    var description: String { image.description }

    /// The chart's data as an HTML table inside `<details>`, then its markers.
    func dataTable() -> String {
        var html = "<details class=\"chart-data\"><summary>Data</summary>\n" + Tables.html(image.dataTable)
        if let markers = image.markerTable {
            html += Tables.html(markers)
        }
        return html + "</details>\n"
    }
}
