import BookModel

/// Bars for each category, side by side for several series, from zero up (or down).
struct BarChart: ChartDrawing {
    var categories: [String]
    var series: [BarSeries]

    var legend: [LegendEntry] { LegendEntry.series(series.map(\.name)) }

    func draw(_ chart: ChartContext) -> Canvas {
        let values = series.flatMap(\.values).filter(\.isFinite)
        let yTicks = Ticks(lower: min(0, values.min() ?? 0), upper: max(0, values.max() ?? 1), target: 5)
        var (canvas, frame) = chart.axisCanvas(legend: legend, yTicks: yTicks)
        let yScale = LinearScale(domain: (yTicks.lower, yTicks.upper), range: (frame.bottom, frame.top))
        chart.axes(&canvas, frame: frame, x: nil, xScale: nil, y: yTicks, yScale: yScale)
        let band = frame.width / Double(max(categories.count, 1))
        let barWidth = band * 0.8 / Double(max(series.count, 1))
        let zero = yScale(0)
        for (categoryIndex, category) in categories.enumerated() {
            let bandLeft = frame.left + Double(categoryIndex) * band
            for (seriesIndex, bars) in series.enumerated() where categoryIndex < bars.values.count {
                let value = bars.values[categoryIndex]
                let left = bandLeft + band * 0.1 + Double(seriesIndex) * barWidth
                guard value.isFinite else {
                    // No bar for nan or ±inf: its value as a label where the bar would stand.
                    canvas.text(left + (barWidth - 1) / 2, zero - 6, NumberFormat.compact(value), class: "tick not-finite")
                    continue
                }
                let top = min(zero, yScale(value))
                canvas.rect(left, top, barWidth - 1,
                            abs(yScale(value) - zero), class: "bar \(LegendEntry.seriesClass(seriesIndex))",
                            title: "\(category) · \(bars.name): \(NumberFormat.compact(value))")
            }
            canvas.text(bandLeft + band / 2, frame.bottom + 18, Canvas.truncated(category, toWidth: band - 4), class: "tick")
        }
        canvas.line(frame.left, zero, frame.right, zero, class: "axis")
        return canvas
    }

    func describe(_ chart: ChartContext) -> String {
        "Bar chart of \(series.map(\.name).joined(separator: ", ")) for \(categories.count) categories; "
            + "values \(range(series.flatMap(\.values)))."
    }

    func notDrawn(_ chart: ChartContext) -> [String] {
        let shown = series.flatMap { bars in bars.values.prefix(categories.count).map { [$0] } }
        return [NotFinite.sentence(shown, one: "value", many: "values",
                                   fate: ("is shown as a label instead of a bar", "are shown as labels instead of bars"))]
            .compactMap { $0 }
    }

    /// One row a category, one column a series.
    func dataTable(_ chart: ChartContext) -> TableSpec {
        let columns = [chart.xLabel ?? "category"] + series.map(\.name)
        let rows = categories.indices.map { index in
            [categories[index]] + series.map { index < $0.values.count ? NumberFormat.compact($0.values[index]) : "" }
        }
        return TableSpec(columns: columns, numeric: columns.indices.map { $0 > 0 }, rows: rows)
    }
}
