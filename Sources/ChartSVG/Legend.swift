/// One entry of a chart's legend: a name and its swatch, a series colour class or "ring" for highlights.
struct LegendEntry {
    var name: String
    var swatch: String

    /// The colour class of the series at `index`: `s1`…`s8` (CSS maps them to `var(--series-1)`…).
    static func seriesClass(_ index: Int) -> String { "s\(index % seriesCount + 1)" }
    static let seriesCount = 8

    /// One entry a series in its colour, or none when there is only one.
    static func series(_ names: [String]) -> [LegendEntry] {
        names.count > 1 ? names.enumerated().map { LegendEntry(name: $0.element, swatch: seriesClass($0.offset)) } : []
    }
}

extension Canvas {
    /// Draws a legend in rows from the top left; returns its height.
    mutating func legend(_ entries: [LegendEntry], left: Double, right: Double) -> Double {
        guard !entries.isEmpty else { return 0 }
        var x = left
        var y = 14.0
        for entry in entries {
            let width = 18 + Self.textWidth(entry.name) + 16
            if x + width > right, x > left {
                x = left
                y += 18
            }
            if entry.swatch == "ring" {
                circle(x + 5, y - 4, r: 5, class: "dot hl")
            } else {
                rect(x, y - 9, 10, 10, class: "swatch \(entry.swatch)", extra: " rx=\"2\"")
            }
            text(x + 16, y, entry.name, class: "legend", anchor: "start")
            x += width
        }
        return y + 10
    }
}
