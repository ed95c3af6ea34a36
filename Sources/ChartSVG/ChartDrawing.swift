import BookModel

/// What each kind of chart provides: its drawing, its description for screen readers, its data as a
/// table and its legend. `ChartImage` picks the kind's drawing and puts the pieces together.
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
    /// Sentences naming the data the chart cannot draw (nan, ±inf), e.g. "1 point is not a finite number
    /// (nan) and is not drawn: the line has a gap there."; empty when everything is drawn.
    func notDrawn(_ chart: ChartContext) -> [String]
}

extension ChartDrawing {
    var hasNumericXAxis: Bool { false }
    var legend: [LegendEntry] { [] }
    func notDrawn(_ chart: ChartContext) -> [String] { [] }

    /// "from 1 to 9" for a description (of the finite values), or "no values".
    func range(_ values: [Double]) -> String {
        let finite = values.filter(\.isFinite)
        guard let low = finite.min(), let high = finite.max() else { return "no values" }
        return "from \(NumberFormat.compact(low)) to \(NumberFormat.compact(high))"
    }
}

/// The parts of a spec every kind draws with: the axis labels and the markers it shows.
struct ChartContext {
    var xLabel: String?
    var yLabel: String?
    /// The spec's markers with a finite x, in order; empty for a chart without a numeric x axis.
    var markers: [ChartMarker]
    /// The spec's markers that are not drawn: those at a non-finite x, or all on a chart without a numeric
    /// x axis (`showsMarkers` false). The description says so.
    var hiddenMarkers: [ChartMarker]
    var showsMarkers: Bool

    init(spec: ChartSpec, showsMarkers: Bool) {
        xLabel = spec.xLabel
        yLabel = spec.yLabel
        self.showsMarkers = showsMarkers
        let all = spec.markers ?? []
        markers = showsMarkers ? all.filter(\.x.isFinite) : []
        hiddenMarkers = showsMarkers ? all.filter { !$0.x.isFinite } : all
    }
}

/// Words for the values a chart cannot draw: nan, inf and -inf.
enum NotFinite {
    /// Which of "nan", "inf" and "-inf" occur in `values`, in that order.
    static func kinds(_ values: [Double]) -> [String] {
        var found: Set<String> = []
        for value in values { if let text = NumberFormat.nonFinite(value) { found.insert(text) } }
        return ["nan", "inf", "-inf"].filter(found.contains)
    }

    /// "1 point is not a finite number (nan) and is not drawn." or "2 points are not finite numbers (nan,
    /// -inf) and are not drawn." — `count` things (each with its numeric `values`) of which some are not
    /// finite; nil when all are.
    static func sentence(_ things: [[Double]], one: String, many: String, fate: (one: String, many: String)) -> String? {
        let bad = things.filter { !$0.allSatisfy(\.isFinite) }
        guard !bad.isEmpty else { return nil }
        let kinds = Self.kinds(bad.flatMap { $0 }).joined(separator: ", ")
        return bad.count == 1
            ? "1 \(one) is not a finite number (\(kinds)) and \(fate.one)."
            : "\(bad.count) \(many) are not finite numbers (\(kinds)) and \(fate.many)."
    }
}
