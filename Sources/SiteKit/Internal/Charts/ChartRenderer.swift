import BookModel

/// Draws a `ChartSpec` as an accessible SVG figure with its data as a table in `<details>`.
///
/// Colours come from CSS classes (`s1`…`s8` map to `var(--series-1)`…), so dark mode works; every
/// coordinate has one decimal, so output is deterministic.
struct ChartRenderer {
    let spec: ChartSpec
    /// A page-unique id, e.g. "chart-3"; the `<title>` and `<desc>` ids derive from it.
    let id: String

    static let seriesCount = 8
    static let width = 600.0
    static let height = 340.0

    /// The complete `<figure>`.
    func figure() -> String {
        let drawing = svg()
        return "<figure class=\"chart\" id=\"\(id)\">\n<figcaption>\(HTML.escape(spec.title))</figcaption>\n"
            + drawing + "\n" + dataTable() + "</figure>\n"
    }

    /// The `<svg>` element alone.
    func svg() -> String {
        var canvas: Canvas
        switch spec.kind {
        case let .line(series): canvas = lineChart(series)
        case let .bar(categories, series): canvas = barChart(categories, series)
        case let .histogram(bins): canvas = histogram(bins)
        case let .scatter(points): canvas = scatterChart(points)
        case let .heatmap(rows, columns, values): canvas = heatmap(rows, columns, values)
        case let .tree(nodes): canvas = treeDiagram(nodes)
        }
        let f = NumberFormat.coordinate
        let header = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart-svg\" viewBox=\"0 0 \(f(canvas.width)) \(f(canvas.height))\""
            + " width=\"\(f(canvas.width))\" height=\"\(f(canvas.height))\" role=\"img\""
            + " aria-labelledby=\"\(id)-title \(id)-desc\">\n"
            + "<title id=\"\(id)-title\">\(HTML.escape(spec.title))</title>\n"
            + "<desc id=\"\(id)-desc\">\(HTML.escape(description))</desc>\n"
        return header + canvas.body + "</svg>"
    }

    // MARK: - Drawing surface

    struct Canvas {
        var width: Double
        var height: Double
        var body = ""

        init(width: Double, height: Double) {
            self.width = width
            self.height = height
        }

        mutating func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, class name: String) {
            let f = NumberFormat.coordinate
            body += "<line class=\"\(name)\" x1=\"\(f(x1))\" y1=\"\(f(y1))\" x2=\"\(f(x2))\" y2=\"\(f(y2))\"/>\n"
        }

        mutating func rect(_ x: Double, _ y: Double, _ width: Double, _ height: Double, class name: String,
                           extra: String = "", title: String? = nil) {
            let f = NumberFormat.coordinate
            let open = "<rect class=\"\(name)\" x=\"\(f(x))\" y=\"\(f(y))\" width=\"\(f(max(0, width)))\" height=\"\(f(max(0, height)))\"\(extra)"
            if let title {
                body += open + "><title>\(HTML.escape(title))</title></rect>\n"
            } else {
                body += open + "/>\n"
            }
        }

        mutating func circle(_ x: Double, _ y: Double, r: Double, class name: String, title: String? = nil) {
            let f = NumberFormat.coordinate
            let open = "<circle class=\"\(name)\" cx=\"\(f(x))\" cy=\"\(f(y))\" r=\"\(f(r))\""
            if let title {
                body += open + "><title>\(HTML.escape(title))</title></circle>\n"
            } else {
                body += open + "/>\n"
            }
        }

        mutating func text(_ x: Double, _ y: Double, _ content: String, class name: String,
                           anchor: String = "middle", extra: String = "") {
            let f = NumberFormat.coordinate
            let anchorAttribute = anchor == "start" ? "" : " text-anchor=\"\(anchor)\""
            body += "<text class=\"\(name)\" x=\"\(f(x))\" y=\"\(f(y))\"\(anchorAttribute)\(extra)>\(HTML.escape(content))</text>\n"
        }

        mutating func path(_ points: [(Double, Double)], class name: String, closed: Bool = false) {
            guard let first = points.first else { return }
            let f = NumberFormat.coordinate
            var d = "M\(f(first.0)) \(f(first.1))"
            for point in points.dropFirst() { d += "L\(f(point.0)) \(f(point.1))" }
            if closed { d += "Z" }
            body += "<path class=\"\(name)\" d=\"\(d)\"/>\n"
        }
    }

    /// The plot rectangle inside the canvas.
    struct Frame {
        var left: Double, top: Double, right: Double, bottom: Double
        var width: Double { right - left }
        var height: Double { bottom - top }
    }

    static func seriesClass(_ index: Int) -> String { "s\(index % seriesCount + 1)" }

    /// Approximate width of `text` at the chart's 12px font.
    static func textWidth(_ text: String, size: Double = 12) -> Double {
        Double(text.count) * size * 0.56
    }

    static func truncated(_ text: String, toWidth width: Double, size: Double = 12) -> String {
        let fits = Int(width / (size * 0.56))
        guard text.count > fits, fits >= 2 else { return text }
        return String(text.prefix(fits - 1)) + "…"
    }

    /// Draws a legend in rows from the top left; returns its height.
    static func legend(_ entries: [(name: String, swatch: String)], in canvas: inout Canvas, left: Double,
                       right: Double) -> Double {
        guard !entries.isEmpty else { return 0 }
        var x = left
        var y = 14.0
        for entry in entries {
            let width = 18 + textWidth(entry.name) + 16
            if x + width > right, x > left {
                x = left
                y += 18
            }
            if entry.swatch == "ring" {
                canvas.circle(x + 5, y - 4, r: 5, class: "dot hl")
            } else {
                canvas.rect(x, y - 9, 10, 10, class: "swatch \(entry.swatch)", extra: " rx=\"2\"")
            }
            canvas.text(x + 16, y, entry.name, class: "legend", anchor: "start")
            x += width
        }
        return y + 10
    }

    /// Grid lines, tick labels and axis labels for a frame with linear x and y scales.
    func axes(_ canvas: inout Canvas, frame: Frame, x: Ticks?, xScale: LinearScale?, y: Ticks, yScale: LinearScale) {
        for value in y.values {
            let position = yScale(value)
            canvas.line(frame.left, position, frame.right, position, class: "grid")
            canvas.text(frame.left - 6, position + 4, y.label(value), class: "tick", anchor: "end")
        }
        if let x, let xScale {
            for value in x.values {
                let position = xScale(value)
                canvas.line(position, frame.bottom, position, frame.bottom + 4, class: "axis")
                canvas.text(position, frame.bottom + 18, x.label(value), class: "tick")
            }
        }
        canvas.line(frame.left, frame.bottom, frame.right, frame.bottom, class: "axis")
        axisLabels(&canvas, frame: frame)
    }

    func axisLabels(_ canvas: inout Canvas, frame: Frame) {
        if let xLabel = spec.xLabel {
            canvas.text((frame.left + frame.right) / 2, frame.bottom + 38, xLabel, class: "label")
        }
        if let yLabel = spec.yLabel {
            let f = NumberFormat.coordinate
            let cx = 14.0, cy = (frame.top + frame.bottom) / 2
            canvas.text(cx, cy, yLabel, class: "label", extra: " transform=\"rotate(-90 \(f(cx)) \(f(cy)))\"")
        }
    }

    /// The standard frame for axis charts, below a legend of `legendHeight`.
    func standardFrame(width: Double, height: Double, legendHeight: Double, yTicks: Ticks) -> Frame {
        let tickWidth = yTicks.values.map { Self.textWidth(yTicks.label($0)) }.max() ?? 20
        let left = 12 + tickWidth + (spec.yLabel == nil ? 0 : 20)
        let top = 12 + legendHeight
        let bottom = height - (spec.xLabel == nil ? 30 : 48)
        return Frame(left: left, top: top, right: width - 16, bottom: bottom)
    }

    // MARK: - Kinds

    /// The chart's markers with a finite x, in order; only charts with a numeric x axis (line, scatter,
    /// histogram) draw them, so the others ignore them.
    var markers: [ChartMarker] {
        switch spec.kind {
        case .line, .scatter, .histogram: (spec.markers ?? []).filter(\.x.isFinite)
        case .bar, .heatmap, .tree: []
        }
    }

    /// Room above the plot for marker labels.
    var markerSpace: Double { markers.isEmpty ? 0 : 18 }

    /// Dashed vertical lines across the frame at each marker, labelled just above the frame.
    func drawMarkers(_ canvas: inout Canvas, frame: Frame, xScale: LinearScale) {
        for marker in markers {
            let x = xScale(marker.x)
            canvas.line(x, frame.top - 2, x, frame.bottom, class: "marker")
            let half = Self.textWidth(marker.label) / 2
            let centre = Swift.min(Swift.max(x, 4 + half), canvas.width - 4 - half)
            canvas.text(centre, frame.top - 6, marker.label, class: "marker-label")
        }
    }

    func lineChart(_ series: [LineSeries]) -> Canvas {
        var canvas = Canvas(width: Self.width, height: Self.height)
        let xs = series.flatMap { $0.points.map(\.x) + ($0.band ?? []).map(\.x) } + markers.map(\.x)
        let ys = series.flatMap { $0.points.map(\.y) + ($0.band ?? []).flatMap { [$0.low, $0.high] } }
        let xExtent = Self.extent(xs)
        let xTicks = Ticks.inside(lower: xExtent.lower, upper: xExtent.upper, target: 6)
        let yTicks = Ticks(lower: ys.min() ?? 0, upper: ys.max() ?? 1, target: 5)
        let entries = series.count > 1 ? series.enumerated().map { ($0.element.name, Self.seriesClass($0.offset)) } : []
        let legendHeight = Self.legend(entries, in: &canvas, left: 16, right: Self.width - 16)
        let frame = standardFrame(width: Self.width, height: Self.height, legendHeight: legendHeight + markerSpace,
                                  yTicks: yTicks)
        let xScale = LinearScale(domain: xExtent, range: (frame.left + 6, frame.right - 6))
        let yScale = LinearScale(domain: (yTicks.lower, yTicks.upper), range: (frame.bottom, frame.top))
        axes(&canvas, frame: frame, x: xTicks, xScale: xScale, y: yTicks, yScale: yScale)
        drawMarkers(&canvas, frame: frame, xScale: xScale)
        for (index, line) in series.enumerated() {
            let colour = Self.seriesClass(index)
            if let band = line.band, !band.isEmpty {
                let upper = band.map { (xScale($0.x), yScale($0.high)) }
                let lower = band.reversed().map { (xScale($0.x), yScale($0.low)) }
                canvas.path(upper + lower, class: "band \(colour)", closed: true)
            }
        }
        for (index, line) in series.enumerated() {
            let colour = Self.seriesClass(index)
            canvas.path(line.points.map { (xScale($0.x), yScale($0.y)) }, class: "line \(colour)")
            if line.points.count <= 40 {
                for point in line.points {
                    canvas.circle(xScale(point.x), yScale(point.y), r: 3, class: "dot \(colour)",
                                  title: "\(line.name): \(NumberFormat.compact(point.x)), \(NumberFormat.compact(point.y))")
                }
            }
        }
        return canvas
    }

    func barChart(_ categories: [String], _ series: [BarSeries]) -> Canvas {
        var canvas = Canvas(width: Self.width, height: Self.height)
        let values = series.flatMap(\.values)
        let yTicks = Ticks(lower: min(0, values.min() ?? 0), upper: max(0, values.max() ?? 1), target: 5)
        let entries = series.count > 1 ? series.enumerated().map { ($0.element.name, Self.seriesClass($0.offset)) } : []
        let legendHeight = Self.legend(entries, in: &canvas, left: 16, right: Self.width - 16)
        let frame = standardFrame(width: Self.width, height: Self.height, legendHeight: legendHeight, yTicks: yTicks)
        let yScale = LinearScale(domain: (yTicks.lower, yTicks.upper), range: (frame.bottom, frame.top))
        axes(&canvas, frame: frame, x: nil, xScale: nil, y: yTicks, yScale: yScale)
        let band = frame.width / Double(max(categories.count, 1))
        let barWidth = band * 0.8 / Double(max(series.count, 1))
        let zero = yScale(0)
        for (categoryIndex, category) in categories.enumerated() {
            let bandLeft = frame.left + Double(categoryIndex) * band
            for (seriesIndex, bars) in series.enumerated() where categoryIndex < bars.values.count {
                let value = bars.values[categoryIndex]
                let top = min(zero, yScale(value))
                canvas.rect(bandLeft + band * 0.1 + Double(seriesIndex) * barWidth, top, barWidth - 1,
                            abs(yScale(value) - zero), class: "bar \(Self.seriesClass(seriesIndex))",
                            title: "\(category) · \(bars.name): \(NumberFormat.compact(value))")
            }
            canvas.text(bandLeft + band / 2, frame.bottom + 18, Self.truncated(category, toWidth: band - 4), class: "tick")
        }
        canvas.line(frame.left, zero, frame.right, zero, class: "axis")
        return canvas
    }

    func histogram(_ bins: [HistogramBin]) -> Canvas {
        var canvas = Canvas(width: Self.width, height: Self.height)
        let xs = bins.map(\.lower) + bins.map(\.upper) + markers.map(\.x)
        let xTicks = Ticks(lower: xs.min() ?? 0, upper: xs.max() ?? 1, target: 6)
        let yTicks = Ticks(lower: 0, upper: Double(bins.map(\.count).max() ?? 1), target: 5)
        let frame = standardFrame(width: Self.width, height: Self.height, legendHeight: markerSpace, yTicks: yTicks)
        let xScale = LinearScale(domain: (xTicks.lower, xTicks.upper), range: (frame.left, frame.right))
        let yScale = LinearScale(domain: (yTicks.lower, yTicks.upper), range: (frame.bottom, frame.top))
        axes(&canvas, frame: frame, x: xTicks, xScale: xScale, y: yTicks, yScale: yScale)
        drawMarkers(&canvas, frame: frame, xScale: xScale)
        for bin in bins {
            let left = xScale(bin.lower), right = xScale(bin.upper)
            canvas.rect(left + 0.5, yScale(Double(bin.count)), right - left - 1, yScale(0) - yScale(Double(bin.count)),
                        class: "bar s1",
                        title: "\(NumberFormat.compact(bin.lower))–\(NumberFormat.compact(bin.upper)): \(bin.count)")
        }
        return canvas
    }

    /// The smallest interval holding `values`, widened by `padding` × its span (never empty).
    static func extent(_ values: [Double], padding: Double = 0) -> (lower: Double, upper: Double) {
        let finite = values.filter(\.isFinite)
        guard var lower = finite.min(), var upper = finite.max() else { return (0, 1) }
        if lower == upper {
            let pad = lower == 0 ? 1 : abs(lower) * 0.1
            return (lower - pad, upper + pad)
        }
        let pad = (upper - lower) * padding
        lower -= pad
        upper += pad
        return (lower, upper)
    }

    /// Scatter groups in order of first appearance.
    static func groups(_ points: [ScatterPoint]) -> [String] {
        var seen: Set<String> = []
        return points.compactMap { seen.insert($0.group).inserted ? $0.group : nil }
    }

    func scatterChart(_ points: [ScatterPoint]) -> Canvas {
        var canvas = Canvas(width: Self.width, height: Self.height)
        let groups = Self.groups(points)
        let xExtent = Self.extent(points.map(\.x) + markers.map(\.x), padding: 0.05)
        let yExtent = Self.extent(points.map(\.y), padding: 0.05)
        let xTicks = Ticks.inside(lower: xExtent.lower, upper: xExtent.upper, target: 6)
        let yTicks = Ticks.inside(lower: yExtent.lower, upper: yExtent.upper, target: 5)
        var entries = groups.count > 1 ? groups.enumerated().map { ($0.element, Self.seriesClass($0.offset)) } : []
        if points.contains(where: \.highlighted) { entries.append(("highlighted", "ring")) }
        let legendHeight = Self.legend(entries, in: &canvas, left: 16, right: Self.width - 16)
        let frame = standardFrame(width: Self.width, height: Self.height, legendHeight: legendHeight + markerSpace,
                                  yTicks: yTicks)
        let xScale = LinearScale(domain: xExtent, range: (frame.left, frame.right))
        let yScale = LinearScale(domain: yExtent, range: (frame.bottom, frame.top))
        axes(&canvas, frame: frame, x: xTicks, xScale: xScale, y: yTicks, yScale: yScale)
        drawMarkers(&canvas, frame: frame, xScale: xScale)
        let groupIndex = Dictionary(uniqueKeysWithValues: groups.enumerated().map { ($0.element, $0.offset) })
        for highlighted in [false, true] {
            for point in points where point.highlighted == highlighted {
                let colour = Self.seriesClass(groupIndex[point.group] ?? 0)
                canvas.circle(xScale(point.x), yScale(point.y), r: highlighted ? 5 : 3.5,
                              class: highlighted ? "dot hl \(colour)" : "dot \(colour)",
                              title: "\(point.group): \(NumberFormat.compact(point.x)), \(NumberFormat.compact(point.y))")
            }
        }
        return canvas
    }

    func heatmap(_ rowLabels: [String], _ columnLabels: [String], _ values: [[Double]]) -> Canvas {
        let rows = max(rowLabels.count, values.count), columns = max(columnLabels.count, values.map(\.count).max() ?? 0)
        let labelWidth = min(160, (rowLabels.map { Self.textWidth($0) }.max() ?? 0) + 10)
        let left = 8 + labelWidth + (spec.yLabel == nil ? 0 : 22)
        let top = 12.0
        let columnLabelWidth = (columnLabels.map { Self.textWidth($0) }.max() ?? 0) + 10
        let cell = max(18, min(max(64, min(columnLabelWidth, 110)), (Self.width - left - 16) / Double(max(columns, 1)),
                               420 / Double(max(rows, 1))))
        let width = max(240, left + cell * Double(columns) + 16)
        let height = top + cell * Double(rows) + (spec.xLabel == nil ? 30 : 50)
        var canvas = Canvas(width: width, height: height)
        let maxValue = values.flatMap { $0 }.filter(\.isFinite).max() ?? 1
        let fontSize = cell < 30 ? " font-size=\"9\"" : ""
        for row in 0..<rows {
            let y = top + Double(row) * cell
            if row < rowLabels.count {
                canvas.text(left - 6, y + cell / 2 + 4, rowLabels[row], class: "tick", anchor: "end")
            }
            for column in 0..<columns {
                let x = left + Double(column) * cell
                let value = row < values.count && column < values[row].count ? values[row][column] : 0
                let strength = maxValue > 0 && value.isFinite ? max(0, value / maxValue) : 0
                let opacity = 0.06 + 0.94 * strength
                canvas.rect(x + 1, y + 1, cell - 2, cell - 2, class: "cell",
                            extra: " fill-opacity=\"\(NumberFormat.fixed(opacity, digits: 2))\"")
                canvas.text(x + cell / 2, y + cell / 2 + 4, NumberFormat.compact(value),
                            class: opacity > 0.55 ? "count on" : "count", extra: fontSize)
            }
        }
        let bottom = top + cell * Double(rows)
        for (column, label) in columnLabels.enumerated() {
            canvas.text(left + (Double(column) + 0.5) * cell, bottom + 16,
                        Self.truncated(label, toWidth: cell), class: "tick")
        }
        axisLabels(&canvas, frame: Frame(left: left, top: top, right: left + cell * Double(columns), bottom: bottom - 6))
        return canvas
    }

    /// The first `maxDepth + 1` levels of a tree, laid out with leaves in slots and parents centred.
    static let maxTreeDepth = 3

    func treeDiagram(_ nodes: [TreeNode]) -> Canvas {
        struct Placed { var node: Int; var depth: Int; var x: Double; var cut: Bool }
        var placed: [Placed] = []
        var edges: [(Int, Int)] = []  // indices into `placed`
        var visited: Set<Int> = []
        var nextSlot = 0.0
        func place(_ node: Int, depth: Int) -> Int? {
            guard node >= 0, node < nodes.count, visited.insert(node).inserted else { return nil }
            let slot = placed.count
            placed.append(Placed(node: node, depth: depth, x: 0, cut: false))
            let children = nodes[node].children
            if depth == Self.maxTreeDepth || children.isEmpty {
                placed[slot].x = nextSlot
                placed[slot].cut = !children.isEmpty
                nextSlot += 1
                return slot
            }
            let placedChildren = children.compactMap { place($0, depth: depth + 1) }
            for child in placedChildren { edges.append((slot, child)) }
            if let first = placedChildren.first, let last = placedChildren.last {
                placed[slot].x = (placed[first].x + placed[last].x) / 2
            } else {
                placed[slot].x = nextSlot
                nextSlot += 1
            }
            return slot
        }
        _ = place(0, depth: 0)
        let boxWidths = placed.map { item -> Double in
            let node = nodes[item.node]
            return max(64, Self.textWidth(node.label) + 16, Self.textWidth(node.detail ?? "", size: 10) + 14)
        }
        let slotWidth = max(96, (boxWidths.max() ?? 96) + 12)
        let width = max(Self.width, nextSlot * slotWidth + 16)
        let levels = Double((placed.map(\.depth).max() ?? 0) + 1)
        let levelHeight = 78.0
        let height = levels * levelHeight + 12 + (placed.contains(where: \.cut) ? 26 : 0)
        var canvas = Canvas(width: width, height: height)
        let offset = (width - nextSlot * slotWidth) / 2
        func centre(_ item: Placed) -> (Double, Double) {
            (offset + (item.x + 0.5) * slotWidth, 12 + Double(item.depth) * levelHeight)
        }
        let f = NumberFormat.coordinate
        for (parent, child) in edges {
            let (x1, y1) = centre(placed[parent]), (x2, y2) = centre(placed[child])
            let top = y1 + 40, bottom = y2, middle = (top + bottom) / 2
            canvas.body += "<path class=\"edge\" d=\"M\(f(x1)) \(f(top))C\(f(x1)) \(f(middle)) \(f(x2)) \(f(middle)) \(f(x2)) \(f(bottom))\"/>\n"
        }
        for (index, item) in placed.enumerated() {
            let node = nodes[item.node]
            let (x, y) = centre(item)
            let boxWidth = boxWidths[index]
            let isLeaf = node.children.isEmpty
            canvas.rect(x - boxWidth / 2, y, boxWidth, 40, class: isLeaf ? "node leaf" : "node", extra: " rx=\"5\"")
            canvas.text(x, y + (node.detail == nil ? 25 : 17), node.label, class: "node-label")
            if let detail = node.detail {
                canvas.text(x, y + 32, detail, class: "node-detail")
            }
            if item.cut {
                canvas.line(x, y + 40, x, y + 50, class: "edge cut")
                canvas.text(x, y + 62, "…", class: "tick")
            }
        }
        return canvas
    }

    // MARK: - Description and data

    /// The `<desc>` sentence: the spec's summary, or one generated from the data.
    var description: String {
        let marked = markers.isEmpty ? "" : " Marked: " + markers.map {
            "\($0.label) at \(spec.xLabel ?? "x") \(NumberFormat.compact($0.x))"
        }.joined(separator: "; ") + "."
        return baseDescription + marked
    }

    /// The description without the markers.
    private var baseDescription: String {
        if let summary = spec.summary, !summary.isEmpty { return summary }
        let c = NumberFormat.compact
        func range(_ values: [Double]) -> String {
            guard let low = values.min(), let high = values.max() else { return "no values" }
            return "from \(c(low)) to \(c(high))"
        }
        let x = spec.xLabel ?? "x", y = spec.yLabel ?? "y"
        switch spec.kind {
        case let .line(series):
            let names = series.map(\.name).joined(separator: ", ")
            let points = series.flatMap(\.points)
            return "Line chart of \(series.count) series (\(names)); \(x) \(range(points.map(\.x))), \(y) \(range(points.map(\.y)))."
        case let .bar(categories, series):
            return "Bar chart of \(series.map(\.name).joined(separator: ", ")) for \(categories.count) categories; values \(range(series.flatMap(\.values)))."
        case let .histogram(bins):
            let total = bins.reduce(0) { $0 + $1.count }
            return "Histogram of \(total) values in \(bins.count) bins \(range(bins.map(\.lower) + bins.map(\.upper)))."
        case let .scatter(points):
            let highlighted = points.filter(\.highlighted).count
            return "Scatter plot of \(points.count) points in \(Self.groups(points).count) groups, \(highlighted) highlighted; \(x) \(range(points.map(\.x))), \(y) \(range(points.map(\.y)))."
        case let .heatmap(rows, columns, values):
            return "Heatmap of \(rows.count) rows by \(columns.count) columns; values \(range(values.flatMap { $0 }))."
        case let .tree(nodes):
            let root = nodes.first.map { " The root splits on \($0.label)." } ?? ""
            return "Tree diagram of \(nodes.count) nodes, showing the first \(Self.maxTreeDepth + 1) levels.\(root)"
        }
    }

    /// The chart's data as an HTML table inside `<details>`.
    func dataTable() -> String {
        let c = NumberFormat.compact
        var columns: [String]
        var numeric: [Bool]
        var rows: [[String]]
        switch spec.kind {
        case let .line(series):
            let xs = series.first?.points.map(\.x) ?? []
            if series.allSatisfy({ $0.points.map(\.x) == xs && $0.band == nil }) {
                columns = [spec.xLabel ?? "x"] + series.map(\.name)
                rows = xs.indices.map { index in [c(xs[index])] + series.map { c($0.points[index].y) } }
            } else {
                columns = ["series", spec.xLabel ?? "x", spec.yLabel ?? "y", "low", "high"]
                rows = series.flatMap { line in
                    line.points.map { point in
                        let band = line.band?.first(where: { $0.x == point.x })
                        return [line.name, c(point.x), c(point.y), band.map { c($0.low) } ?? "", band.map { c($0.high) } ?? ""]
                    }
                }
            }
            numeric = columns.indices.map { $0 > 0 }
            if columns.first == "series" { numeric[0] = false }
        case let .bar(categories, series):
            columns = [spec.xLabel ?? "category"] + series.map(\.name)
            rows = categories.indices.map { index in
                [categories[index]] + series.map { index < $0.values.count ? c($0.values[index]) : "" }
            }
            numeric = columns.indices.map { $0 > 0 }
        case let .histogram(bins):
            columns = ["from", "to", "count"]
            rows = bins.map { [c($0.lower), c($0.upper), String($0.count)] }
            numeric = [true, true, true]
        case let .scatter(points):
            columns = [spec.xLabel ?? "x", spec.yLabel ?? "y", "group", "highlighted"]
            rows = points.map { [c($0.x), c($0.y), $0.group, $0.highlighted ? "yes" : ""] }
            numeric = [true, true, false, false]
        case let .heatmap(rowLabels, columnLabels, values):
            columns = [""] + columnLabels
            rows = rowLabels.indices.map { row in
                [rowLabels[row]] + columnLabels.indices.map { column in
                    row < values.count && column < values[row].count ? c(values[row][column]) : ""
                }
            }
            numeric = columns.indices.map { $0 > 0 }
        case let .tree(nodes):
            columns = ["node", "label", "detail", "children"]
            rows = nodes.enumerated().map { index, node in
                [String(index), node.label, node.detail ?? "", node.children.map(String.init).joined(separator: ", ")]
            }
            numeric = [true, false, false, false]
        }
        let table = TableSpec(columns: columns, numeric: numeric, rows: rows)
        var html = "<details class=\"chart-data\"><summary>Data</summary>\n" + Tables.html(table)
        if !markers.isEmpty {
            let marked = TableSpec(title: "Markers", columns: [spec.xLabel ?? "x", "marker"], numeric: [true, false],
                                   rows: markers.map { [c($0.x), $0.label] })
            html += Tables.html(marked)
        }
        return html + "</details>\n"
    }
}
