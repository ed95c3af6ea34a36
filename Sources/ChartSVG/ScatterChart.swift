import BookModel

/// Points coloured by group; highlighted points drawn larger, with a ring, on top.
struct ScatterChart: ChartDrawing {
    var points: [ScatterPoint]

    var hasNumericXAxis: Bool { true }

    var legend: [LegendEntry] {
        LegendEntry.series(groups)
            + (points.contains(where: \.highlighted) ? [LegendEntry(name: "highlighted", swatch: "ring")] : [])
    }

    /// The groups in order of first appearance.
    var groups: [String] {
        var seen: Set<String> = []
        return points.compactMap { seen.insert($0.group).inserted ? $0.group : nil }
    }

    func draw(_ chart: ChartContext) -> Canvas {
        let xExtent = LinearScale.extent(points.map(\.x) + chart.markers.map(\.x), padding: 0.05)
        let yExtent = LinearScale.extent(points.map(\.y), padding: 0.05)
        let xTicks = Ticks.inside(lower: xExtent.lower, upper: xExtent.upper, target: 6)
        let yTicks = Ticks.inside(lower: yExtent.lower, upper: yExtent.upper, target: 5)
        var (canvas, frame) = chart.axisCanvas(legend: legend, yTicks: yTicks)
        let xScale = LinearScale(domain: xExtent, range: (frame.left, frame.right))
        let yScale = LinearScale(domain: yExtent, range: (frame.bottom, frame.top))
        chart.axes(&canvas, frame: frame, x: xTicks, xScale: xScale, y: yTicks, yScale: yScale)
        let groupIndex = Dictionary(uniqueKeysWithValues: groups.enumerated().map { ($0.element, $0.offset) })
        for highlighted in [false, true] {
            for point in points where point.highlighted == highlighted && point.x.isFinite && point.y.isFinite {
                let colour = LegendEntry.seriesClass(groupIndex[point.group] ?? 0)
                canvas.circle(xScale(point.x), yScale(point.y), r: highlighted ? 5 : 3.5,
                              class: highlighted ? "dot hl \(colour)" : "dot \(colour)",
                              title: "\(point.group): \(NumberFormat.compact(point.x)), \(NumberFormat.compact(point.y))")
            }
        }
        return canvas
    }

    func describe(_ chart: ChartContext) -> String {
        let highlighted = points.filter(\.highlighted).count
        return "Scatter plot of \(points.count) points in \(groups.count) groups, \(highlighted) highlighted; "
            + "\(chart.xLabel ?? "x") \(range(points.map(\.x))), \(chart.yLabel ?? "y") \(range(points.map(\.y)))."
    }

    func notDrawn(_ chart: ChartContext) -> [String] {
        [NotFinite.sentence(points.map { [$0.x, $0.y] }, one: "point", many: "points",
                            fate: ("is not drawn", "are not drawn"))].compactMap { $0 }
    }

    func dataTable(_ chart: ChartContext) -> TableSpec {
        let c = NumberFormat.compact
        return TableSpec(columns: [chart.xLabel ?? "x", chart.yLabel ?? "y", "group", "highlighted"],
                         numeric: [true, true, false, false],
                         rows: points.map { [c($0.x), c($0.y), $0.group, $0.highlighted ? "yes" : ""] })
    }
}
