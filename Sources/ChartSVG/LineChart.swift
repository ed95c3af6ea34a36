import BookModel

/// Lines of (x, y) points, each with an optional shaded band; dots on lines of up to 40 points.
struct LineChart: ChartDrawing {
    var series: [LineSeries]

    var hasNumericXAxis: Bool { true }
    var legend: [LegendEntry] { LegendEntry.series(series.map(\.name)) }

    func draw(_ chart: ChartContext) -> Canvas {
        let xs = series.flatMap { $0.points.map(\.x) + ($0.band ?? []).map(\.x) } + chart.markers.map(\.x)
        let ys = series.flatMap { $0.points.map(\.y) + ($0.band ?? []).flatMap { [$0.low, $0.high] } }.filter(\.isFinite)
        let xExtent = LinearScale.extent(xs)
        let xTicks = Ticks.inside(lower: xExtent.lower, upper: xExtent.upper, target: 6)
        let yTicks = Ticks(lower: ys.min() ?? 0, upper: ys.max() ?? 1, target: 5)
        var (canvas, frame) = chart.axisCanvas(legend: legend, yTicks: yTicks)
        let xScale = LinearScale(domain: xExtent, range: (frame.left + 6, frame.right - 6))
        let yScale = LinearScale(domain: (yTicks.lower, yTicks.upper), range: (frame.bottom, frame.top))
        chart.axes(&canvas, frame: frame, x: xTicks, xScale: xScale, y: yTicks, yScale: yScale)
        for (index, line) in series.enumerated() {
            let colour = LegendEntry.seriesClass(index)
            if let band = line.band, !band.isEmpty {
                // A band entry that is not finite breaks the band into pieces, as a point breaks the line.
                let pieces = Canvas.runs(band) { $0.x.isFinite && $0.low.isFinite && $0.high.isFinite }.map { piece in
                    piece.map { (xScale($0.x), yScale($0.high)) } + piece.reversed().map { (xScale($0.x), yScale($0.low)) }
                }
                canvas.path(segments: pieces, class: "band \(colour)", closed: true)
            }
        }
        for (index, line) in series.enumerated() {
            let colour = LegendEntry.seriesClass(index)
            let pieces = Canvas.runs(line.points) { $0.x.isFinite && $0.y.isFinite }
            canvas.path(segments: pieces.map { $0.map { (xScale($0.x), yScale($0.y)) } }, class: "line \(colour)")
            // Dots on short lines; on long ones only for a point standing alone between gaps.
            let dotted = line.points.count <= 40 ? pieces.flatMap { $0 } : pieces.filter { $0.count == 1 }.flatMap { $0 }
            for point in dotted {
                canvas.circle(xScale(point.x), yScale(point.y), r: 3, class: "dot \(colour)",
                              title: "\(line.name): \(NumberFormat.compact(point.x)), \(NumberFormat.compact(point.y))")
            }
        }
        return canvas
    }

    func describe(_ chart: ChartContext) -> String {
        let names = series.map(\.name).joined(separator: ", ")
        let points = series.flatMap(\.points)
        return "Line chart of \(series.count) series (\(names)); \(chart.xLabel ?? "x") \(range(points.map(\.x))), "
            + "\(chart.yLabel ?? "y") \(range(points.map(\.y)))."
    }

    func notDrawn(_ chart: ChartContext) -> [String] {
        [NotFinite.sentence(series.flatMap { $0.points.map { [$0.x, $0.y] } }, one: "point", many: "points",
                            fate: ("is not drawn: the line has a gap there", "are not drawn: the line has gaps there")),
         NotFinite.sentence(series.flatMap { ($0.band ?? []).map { [$0.x, $0.low, $0.high] } }, one: "band point",
                            many: "band points", fate: ("is not drawn", "are not drawn"))].compactMap { $0 }
    }

    /// One row an x when all series share their xs and have no band; otherwise one row a point.
    func dataTable(_ chart: ChartContext) -> TableSpec {
        let c = NumberFormat.compact
        let columns: [String]
        let rows: [[String]]
        let xs = series.first?.points.map(\.x) ?? []
        if series.allSatisfy({ $0.points.map(\.x) == xs && $0.band == nil }) {
            columns = [chart.xLabel ?? "x"] + series.map(\.name)
            rows = xs.indices.map { index in [c(xs[index])] + series.map { c($0.points[index].y) } }
        } else {
            columns = ["series", chart.xLabel ?? "x", chart.yLabel ?? "y", "low", "high"]
            rows = series.flatMap { line in
                line.points.map { point in
                    let band = line.band?.first(where: { $0.x == point.x })
                    return [line.name, c(point.x), c(point.y), band.map { c($0.low) } ?? "", band.map { c($0.high) } ?? ""]
                }
            }
        }
        return TableSpec(columns: columns, numeric: columns.indices.map { $0 > 0 }, rows: rows)
    }
}
