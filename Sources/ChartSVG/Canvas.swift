import BookModel

/// An SVG drawing surface: elements appended to `body` with coordinates at one decimal.
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
        element("rect", "class=\"\(name)\" x=\"\(f(x))\" y=\"\(f(y))\" width=\"\(f(max(0, width)))\" height=\"\(f(max(0, height)))\"\(extra)",
                title: title)
    }

    mutating func circle(_ x: Double, _ y: Double, r: Double, class name: String, title: String? = nil) {
        let f = NumberFormat.coordinate
        element("circle", "class=\"\(name)\" cx=\"\(f(x))\" cy=\"\(f(y))\" r=\"\(f(r))\"", title: title)
    }

    /// `<name attributes/>`, or with a `<title>` (a tooltip) inside.
    private mutating func element(_ name: String, _ attributes: String, title: String?) {
        if let title {
            body += "<\(name) \(attributes)><title>\(XMLText.escape(title))</title></\(name)>\n"
        } else {
            body += "<\(name) \(attributes)/>\n"
        }
    }

    mutating func text(_ x: Double, _ y: Double, _ content: String, class name: String,
                       anchor: String = "middle", extra: String = "") {
        let f = NumberFormat.coordinate
        let anchorAttribute = anchor == "start" ? "" : " text-anchor=\"\(anchor)\""
        body += "<text class=\"\(name)\" x=\"\(f(x))\" y=\"\(f(y))\"\(anchorAttribute)\(extra)>\(XMLText.escape(content))</text>\n"
    }

    mutating func path(_ points: [(Double, Double)], class name: String, closed: Bool = false) {
        path(segments: [points], class: name, closed: closed)
    }

    /// One `<path>` of several pieces (e.g. a line broken where a value is not a number); none if all
    /// are empty.
    mutating func path(segments: [[(Double, Double)]], class name: String, closed: Bool = false) {
        let f = NumberFormat.coordinate
        var d = ""
        for points in segments {
            guard let first = points.first else { continue }
            d += "M\(f(first.0)) \(f(first.1))"
            for point in points.dropFirst() { d += "L\(f(point.0)) \(f(point.1))" }
            if closed { d += "Z" }
        }
        guard !d.isEmpty else { return }
        body += "<path class=\"\(name)\" d=\"\(d)\"/>\n"
    }

    /// `items` split into runs of consecutive ones that `keep` accepts (the pieces of a broken line).
    static func runs<T>(_ items: [T], where keep: (T) -> Bool) -> [[T]] {
        var runs: [[T]] = [[]]
        for item in items {
            if keep(item) { runs[runs.count - 1].append(item) } else if !runs[runs.count - 1].isEmpty { runs.append([]) }
        }
        return runs.filter { !$0.isEmpty }
    }

    /// Approximate width of `text` at the chart's 12px font.
    static func textWidth(_ text: String, size: Double = 12) -> Double {
        Double(text.count) * size * 0.56
    }

    static func truncated(_ text: String, toWidth width: Double, size: Double = 12) -> String {
        let fits = Int(width / (size * 0.56))
        guard text.count > fits, fits >= 2 else { return text }
        return String(text.prefix(fits - 1)) + "…"
    }
}
