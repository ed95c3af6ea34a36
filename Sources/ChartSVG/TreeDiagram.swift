import BookModel

/// A decision tree from the root down: the first `maxDepth + 1` levels, laid out with leaves in slots and
/// parents centred over their children; a cut branch ends in "…".
struct TreeDiagram: ChartDrawing {
    var nodes: [TreeNode]

    static let maxDepth = 3

    func draw(_ chart: ChartContext) -> Canvas {
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
            if depth == Self.maxDepth || children.isEmpty {
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
            return max(64, Canvas.textWidth(node.label) + 16, Canvas.textWidth(node.detail ?? "", size: 10) + 14)
        }
        let slotWidth = max(96, (boxWidths.max() ?? 96) + 12)
        let width = max(ChartImage.width, nextSlot * slotWidth + 16)
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

    func describe(_ chart: ChartContext) -> String {
        let root = nodes.first.map { " The root splits on \($0.label)." } ?? ""
        return "Tree diagram of \(nodes.count) nodes, showing the first \(Self.maxDepth + 1) levels.\(root)"
    }

    /// One row a node, with its children's indices.
    func dataTable(_ chart: ChartContext) -> TableSpec {
        TableSpec(columns: ["node", "label", "detail", "children"], numeric: [true, false, false, false],
                  rows: nodes.enumerated().map { index, node in
                      [String(index), node.label, node.detail ?? "", node.children.map(String.init).joined(separator: ", ")]
                  })
    }
}
