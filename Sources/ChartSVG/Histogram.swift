import BookModel

/// Counts in bins along a numeric x axis.
struct Histogram: ChartDrawing {
    var bins: [HistogramBin]

    var hasNumericXAxis: Bool { true }

    func draw(_ chart: ChartContext) -> Canvas {
        let drawn = bins.filter { $0.lower.isFinite && $0.upper.isFinite }
        let xs = drawn.map(\.lower) + drawn.map(\.upper) + chart.markers.map(\.x)
        let xTicks = Ticks(lower: xs.min() ?? 0, upper: xs.max() ?? 1, target: 6)
        let yTicks = Ticks(lower: 0, upper: Double(drawn.map(\.count).max() ?? 1), target: 5)
        var (canvas, frame) = chart.axisCanvas(legend: legend, yTicks: yTicks)
        let xScale = LinearScale(domain: (xTicks.lower, xTicks.upper), range: (frame.left, frame.right))
        let yScale = LinearScale(domain: (yTicks.lower, yTicks.upper), range: (frame.bottom, frame.top))
        chart.axes(&canvas, frame: frame, x: xTicks, xScale: xScale, y: yTicks, yScale: yScale)
        for bin in drawn {
            let left = xScale(bin.lower), right = xScale(bin.upper)
            canvas.rect(left + 0.5, yScale(Double(bin.count)), right - left - 1, yScale(0) - yScale(Double(bin.count)),
                        class: "bar s1",
                        title: "\(NumberFormat.compact(bin.lower))–\(NumberFormat.compact(bin.upper)): \(bin.count)")
        }
        return canvas
    }

    func describe(_ chart: ChartContext) -> String {
        // Summed as doubles: counts from a hand-made spec may overflow an Int.
        let total = NumberFormat.compact(bins.reduce(0.0) { $0 + Double($1.count) })
        return "Histogram of \(total) values in \(bins.count) bins \(range(bins.map(\.lower) + bins.map(\.upper)))."
    }

    func notDrawn(_ chart: ChartContext) -> [String] {
        let bad = bins.filter { !($0.lower.isFinite && $0.upper.isFinite) }
        guard !bad.isEmpty else { return [] }
        let kinds = NotFinite.kinds(bad.flatMap { [$0.lower, $0.upper] }).joined(separator: ", ")
        return [bad.count == 1
            ? "1 bin has a bound that is not a finite number (\(kinds)) and is not drawn."
            : "\(bad.count) bins have bounds that are not finite numbers (\(kinds)) and are not drawn."]
    }

    func dataTable(_ chart: ChartContext) -> TableSpec {
        let c = NumberFormat.compact
        return TableSpec(columns: ["from", "to", "count"], numeric: [true, true, true],
                         rows: bins.map { [c($0.lower), c($0.upper), String($0.count)] })
    }
}
