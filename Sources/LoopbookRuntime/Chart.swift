import BookModel
/// Builders for chart specs that read well in chapter code, e.g. `show(Chart.line(title: "Accuracy", x: rounds, y: accuracy))`.
public enum Chart {
    /// A line chart with one series of points; `x` and `y` must have the same length (the step stops with
    /// a message naming both lengths otherwise).
    ///
    /// `markers` label x positions, drawn as dashed vertical lines, e.g.
    /// `markers: [ChartMarker(x: 8.5, label: "the rule changes")]`.
    public static func line(title: String, x: [Double], y: [Double], series name: String = "",
                            xLabel: String? = nil, yLabel: String? = nil, summary: String? = nil,
                            markers: [ChartMarker] = []) -> ChartSpec {
        // A mismatch would silently drop the extra values (zip stops at the shorter): stop the step instead.
        precondition(x.count == y.count,
                     "Chart.line(title: \"\(title)\"): x has \(x.count) values and y has \(y.count); give one y for each x")
        let points = zip(x, y).map { Point(x: $0, y: $1) }
        return ChartSpec(title: title, summary: summary, xLabel: xLabel, yLabel: yLabel,
                         kind: .line([LineSeries(name: name, points: points)]), markers: markers.isEmpty ? nil : markers)
    }

    /// A line chart with one series of integer x values (e.g. rounds of a loop).
    public static func line(title: String, x: [Int], y: [Double], series name: String = "",
                            xLabel: String? = nil, yLabel: String? = nil, summary: String? = nil,
                            markers: [ChartMarker] = []) -> ChartSpec {
        line(title: title, x: x.map(Double.init), y: y, series: name, xLabel: xLabel, yLabel: yLabel, summary: summary,
             markers: markers)
    }

    /// A line chart with several named series, each optionally with a band (e.g. min–max across seeds),
    /// and optional `markers` at labelled x positions.
    public static func line(title: String, series: [LineSeries],
                            xLabel: String? = nil, yLabel: String? = nil, summary: String? = nil,
                            markers: [ChartMarker] = []) -> ChartSpec {
        ChartSpec(title: title, summary: summary, xLabel: xLabel, yLabel: yLabel, kind: .line(series),
                  markers: markers.isEmpty ? nil : markers)
    }

    /// A bar chart with one value per category.
    public static func bar(title: String, categories: [String], values: [Double], series name: String = "",
                           xLabel: String? = nil, yLabel: String? = nil, summary: String? = nil) -> ChartSpec {
        ChartSpec(title: title, summary: summary, xLabel: xLabel, yLabel: yLabel,
                  kind: .bar(categories: categories, series: [BarSeries(name: name, values: values)]))
    }

    /// A grouped bar chart: one value per category in each series.
    public static func bar(title: String, categories: [String], series: [BarSeries],
                           xLabel: String? = nil, yLabel: String? = nil, summary: String? = nil) -> ChartSpec {
        ChartSpec(title: title, summary: summary, xLabel: xLabel, yLabel: yLabel,
                  kind: .bar(categories: categories, series: series))
    }

    /// A histogram of raw values in `bins` equal-width bins between the smallest and largest value.
    ///
    /// Binning is deterministic: bin `i` covers `[lower + i·w, lower + (i+1)·w)`, the last bin also holds
    /// the maximum; non-finite values are skipped. With all values equal there is one bin of width 1.
    /// `bins` below 1 draws one bin.
    public static func histogram(_ values: [Double], bins: Int = 10, title: String = "Histogram",
                                 xLabel: String? = nil, yLabel: String? = "count", summary: String? = nil) -> ChartSpec {
        ChartSpec(title: title, summary: summary, xLabel: xLabel, yLabel: yLabel,
                  kind: .histogram(binned(values, bins: bins)))
    }

    /// The bins `histogram` draws, exposed for tests and for chapters that want the counts.
    public static func binned(_ values: [Double], bins: Int) -> [HistogramBin] {
        let finite = values.filter(\.isFinite)
        guard let low = finite.min(), let high = finite.max() else { return [] }
        if low == high { return [HistogramBin(lower: low - 0.5, upper: low + 0.5, count: finite.count)] }
        let count = max(1, bins)
        let width = (high - low) / Double(count)
        var counts = Array(repeating: 0, count: count)
        guard width.isFinite, width > 0 else {
            // A span wider than a double holds (-1e308…1e308) or narrower than it resolves (subnormals):
            // place values by their fraction of the span (measured in halves when it overflows), and bound
            // the bins by fractions.
            let span = high - low
            for value in finite {
                let fraction = span.isFinite ? (value - low) / span : (value / 2 - low / 2) / (high / 2 - low / 2)
                let position = fraction.isFinite ? (fraction * Double(count)).rounded(.down) : 0
                counts[Int(min(Double(count - 1), max(0, position)))] += 1
            }
            let bound = { (index: Int) -> Double in
                let t = Double(index) / Double(count)
                return index == count ? high : low * (1 - t) + high * t
            }
            return counts.enumerated().map { index, n in HistogramBin(lower: bound(index), upper: bound(index + 1), count: n) }
        }
        for value in finite {
            let index = min(count - 1, Int(((value - low) / width).rounded(.down)))
            counts[max(0, index)] += 1
        }
        return counts.enumerated().map { index, n in
            HistogramBin(lower: low + Double(index) * width,
                         upper: index == count - 1 ? high : low + Double(index + 1) * width, count: n)
        }
    }

    /// A histogram with bins bounded by `edges` (numpy's `histogram(values, bins=edges)`): bin `i` covers
    /// `[edges[i], edges[i+1])`, the last bin also holds `edges.last`. Choose edges that fit the data, e.g.
    /// accuracies on 20 rows (multiples of 0.05) get one bin each with
    /// `edges: (0...21).map { (Double($0) - 0.5) / 20 }`. Values outside the edges and non-finite values
    /// are not counted, as in numpy. The step stops with a message when there are fewer than 2 edges or
    /// they do not increase.
    public static func histogram(_ values: [Double], edges: [Double], title: String = "Histogram",
                                 xLabel: String? = nil, yLabel: String? = "count", summary: String? = nil) -> ChartSpec {
        ChartSpec(title: title, summary: summary, xLabel: xLabel, yLabel: yLabel,
                  kind: .histogram(binned(values, edges: edges)))
    }

    /// A histogram of whole numbers (counts, depths, leaves) with one bin per value from the smallest to
    /// the largest, each bin centred on its value (`[v − 0.5, v + 0.5)`), so no bin holds two values and
    /// none that occurs is missing. No values draw no bins.
    public static func histogram(_ values: [Int], title: String = "Histogram",
                                 xLabel: String? = nil, yLabel: String? = "count", summary: String? = nil) -> ChartSpec {
        guard let low = values.min(), let high = values.max() else {
            return ChartSpec(title: title, summary: summary, xLabel: xLabel, yLabel: yLabel, kind: .histogram([]))
        }
        let edges = (low...(high + 1)).map { Double($0) - 0.5 }
        return histogram(values.map(Double.init), edges: edges, title: title, xLabel: xLabel, yLabel: yLabel,
                         summary: summary)
    }

    /// The bins `histogram(_:edges:)` draws: one per pair of neighbouring edges.
    public static func binned(_ values: [Double], edges: [Double]) -> [HistogramBin] {
        precondition(edges.count >= 2 && edges.allSatisfy(\.isFinite),
                     "Chart.histogram: give at least 2 finite bin edges; got \(edges.count) (\(edges.prefix(4)))")
        precondition(zip(edges, edges.dropFirst()).allSatisfy { $0 < $1 },
                     "Chart.histogram: bin edges must increase, e.g. [0, 0.5, 1]; got \(edges.prefix(8))")
        var counts = Array(repeating: 0, count: edges.count - 1)
        for value in values where value.isFinite && value >= edges[0] && value <= edges[edges.count - 1] {
            // The last edge `i` with edges[i] <= value, capped so the last edge falls into the last bin.
            var low = 0, high = edges.count - 1
            while high - low > 1 {
                let mid = (low + high) / 2
                if edges[mid] <= value { low = mid } else { high = mid }
            }
            counts[low] += 1
        }
        return counts.indices.map { HistogramBin(lower: edges[$0], upper: edges[$0 + 1], count: counts[$0]) }
    }

    /// A scatter plot; `group` names each point's colour (e.g. its class), `highlighted` marks some.
    public static func scatter(title: String, x: [Double], y: [Double], group: [String]? = nil,
                               highlighted: [Bool]? = nil, xLabel: String? = nil, yLabel: String? = nil,
                               summary: String? = nil) -> ChartSpec {
        let points = zip(x, y).enumerated().map { index, pair in
            ScatterPoint(x: pair.0, y: pair.1,
                         group: group.flatMap { index < $0.count ? $0[index] : nil } ?? "",
                         highlighted: highlighted.flatMap { index < $0.count ? $0[index] : nil } ?? false)
        }
        return ChartSpec(title: title, summary: summary, xLabel: xLabel, yLabel: yLabel, kind: .scatter(points))
    }

    /// A heatmap of a matrix with row and column labels (rows = true class for a confusion matrix).
    public static func heatmap(title: String, rowLabels: [String], columnLabels: [String], values: [[Double]],
                               xLabel: String? = nil, yLabel: String? = nil, summary: String? = nil) -> ChartSpec {
        ChartSpec(title: title, summary: summary, xLabel: xLabel, yLabel: yLabel,
                  kind: .heatmap(rowLabels: rowLabels, columnLabels: columnLabels, values: values))
    }

    /// A tree diagram from nodes (node 0 is the root).
    public static func tree(title: String, nodes: [TreeNode], summary: String? = nil) -> ChartSpec {
        ChartSpec(title: title, summary: summary, kind: .tree(nodes))
    }
}
