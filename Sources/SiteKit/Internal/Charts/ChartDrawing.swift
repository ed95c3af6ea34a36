import BookModel

/// What each kind of chart provides: its drawing, its description for screen readers, its data as a
/// table and its legend. `ChartRenderer` picks the kind's drawing and puts the pieces together.
protocol ChartDrawing {
    /// Whether the chart has a numeric x axis (line, scatter, histogram); only those draw markers.
    var hasNumericXAxis: Bool { get }
    /// The legend's entries in order; none for a single series.
    var legend: [LegendEntry] { get }
    /// The chart on a canvas sized for it.
    func draw(_ chart: ChartContext) -> Canvas
    /// A sentence generated from the data, for the `<desc>` when the spec has no summary (markers aside).
    func describe(_ chart: ChartContext) -> String
    /// The data shown, as a table (markers aside).
    func dataTable(_ chart: ChartContext) -> TableSpec
}

extension ChartDrawing {
    var hasNumericXAxis: Bool { false }
    var legend: [LegendEntry] { [] }

    /// "from 1 to 9" for a description, or "no values".
    func range(_ values: [Double]) -> String {
        guard let low = values.min(), let high = values.max() else { return "no values" }
        return "from \(NumberFormat.compact(low)) to \(NumberFormat.compact(high))"
    }
}

/// The parts of a spec every kind draws with: the axis labels and the markers it shows.
struct ChartContext {
    var xLabel: String?
    var yLabel: String?
    /// The spec's markers with a finite x, in order; empty for a chart without a numeric x axis.
    var markers: [ChartMarker]

    init(spec: ChartSpec, showsMarkers: Bool) {
        xLabel = spec.xLabel
        yLabel = spec.yLabel
        markers = showsMarkers ? (spec.markers ?? []).filter(\.x.isFinite) : []
    }
}
