import BookModel
import Foundation
import LoopbookRuntime
import Testing
@testable import SiteKit

/// Markers: labelled x positions on a chart, drawn as dashed vertical lines, listed in the desc and data.
@Suite struct ChartMarkerTests {
    static let accuracy = LineSeries(name: "retrain on everything labelled",
                                     points: (1...16).map { Point(x: Double($0), y: $0 < 9 ? 0.85 : 0.6) })
    static let marked = Chart.line(title: "Accuracy", series: [accuracy], xLabel: "round", yLabel: "accuracy",
                                   markers: [ChartMarker(x: 8.5, label: "the rule changes")])

    func svg(_ spec: ChartSpec) throws -> XMLNode {
        try XMLNode.parse(ChartRenderer(spec: spec, id: "c").svg())
    }

    @Test func theBuilderKeepsMarkersAndLeavesThemOutWhenThereAreNone() {
        #expect(Self.marked.markers == [ChartMarker(x: 8.5, label: "the rule changes")])
        #expect(Chart.line(title: "t", series: [Self.accuracy]).markers == nil)
        #expect(Chart.line(title: "t", x: [1, 2], y: [0.5, 0.6], markers: [ChartMarker(x: 1.5, label: "m")]).markers?.count == 1)
    }

    @Test func aLineChartDrawsADashedLineAtTheMarkerBetweenItsNeighbours() throws {
        let root = try svg(Self.marked)
        let line = try #require(root.all("line").first { $0["class"] == "marker" }, "no marker line")
        let label = try #require(root.all("text").first { $0["class"] == "marker-label" }, "no marker label")
        #expect(label.text == "the rule changes")
        #expect(line["x1"] == line["x2"], "the marker is vertical")
        // Its x lies halfway between the dots of rounds 8 and 9.
        let dots = root.all("circle").filter { ($0["class"] ?? "").hasPrefix("dot") }.compactMap { $0["cx"].flatMap(Double.init) }
        #expect(dots.count == 16)
        let x = try #require(line["x1"].flatMap(Double.init))
        #expect(abs(x - (dots[7] + dots[8]) / 2) <= 0.1, "marker at \(x), dots at \(dots[7]) and \(dots[8])")
        // It spans the plot: from above the highest grid line to the x axis.
        let y1 = try #require(line["y1"].flatMap(Double.init)), y2 = try #require(line["y2"].flatMap(Double.init))
        let grid = root.all("line").filter { $0["class"] == "grid" }.compactMap { $0["y1"].flatMap(Double.init) }
        #expect(y1 <= (grid.min() ?? 0) && y2 >= (grid.max() ?? 0))
        // A marker is not a series: no legend entry, no dots.
        #expect(root.all("text").filter { $0["class"] == "legend" }.isEmpty)
    }

    @Test func markersAreInTheDescriptionAndTheDataTable() {
        let renderer = ChartRenderer(spec: Self.marked, id: "c")
        #expect(renderer.description.hasSuffix(" Marked: the rule changes at round 8.5."), "\(renderer.description)")
        let figure = renderer.figure()
        #expect(figure.contains("<caption>Markers</caption>"))
        #expect(figure.contains("<td class=\"num\">8.5</td><td>the rule changes</td>"), "\(figure)")
        var summarised = Self.marked
        summarised.summary = "Accuracy falls when the rule changes."
        #expect(ChartRenderer(spec: summarised, id: "c").description
            == "Accuracy falls when the rule changes. Marked: the rule changes at round 8.5.")
    }

    @Test func aMarkerOutsideTheDataWidensTheXAxis() throws {
        var spec = Self.marked
        spec.markers = [ChartMarker(x: 20, label: "later")]
        let root = try svg(spec)
        let ticks = root.all("text").filter { $0["class"] == "tick" && $0["text-anchor"] == "middle" }
        let marker = try #require(root.all("line").first { $0["class"] == "marker" }?["x1"].flatMap(Double.init))
        #expect(marker <= ChartRenderer.width - 16, "the marker is inside the frame: \(marker)")
        #expect(ticks.contains { $0.text == "20" }, "the x axis reaches 20: \(ticks.map(\.text))")
    }

    @Test func chartsWithoutAnXScaleIgnoreMarkersAndOldRecordsDecode() throws {
        var bar = Chart.bar(title: "b", categories: ["a", "b"], values: [1, 2])
        bar.markers = [ChartMarker(x: 1, label: "m")]
        let root = try svg(bar)
        #expect(!root.all("line").contains { $0["class"] == "marker" })
        #expect(!ChartRenderer(spec: bar, id: "c").description.contains("Marked"))

        // A chart recorded before markers existed has no "markers" key, and one without markers writes none.
        let plain = Chart.line(title: "t", x: [1, 2], y: [0.5, 0.6])
        let json = try JSONEncoder().encode(plain)
        #expect(!String(decoding: json, as: UTF8.self).contains("markers"))
        #expect(try JSONDecoder().decode(ChartSpec.self, from: json) == plain)
        let withMarkers = try JSONDecoder().decode(ChartSpec.self, from: JSONEncoder().encode(Self.marked))
        #expect(withMarkers == Self.marked)
    }
}
