import BookModel
import Foundation
@testable import LoopbookRuntime
import Testing
@testable import SiteKit

/// A chart holding nan or ±inf is drawn with gaps and says what it leaves out; it crosses the JSON
/// boundary from the chapter program intact; a record that cannot be sent stops the program with a
/// message (issue 11, case b05).
@Suite struct NonFiniteChartTests {
    func svg(_ spec: ChartSpec) throws -> XMLNode { try XMLNode.parse(ChartRenderer(spec: spec, id: "c").svg()) }
    func desc(_ spec: ChartSpec) -> String { ChartRenderer(spec: spec, id: "c").description }

    // MARK: The cases' charts

    @Test func aLineWithANaNBreaksAndSaysSo() throws {
        let spec = Chart.line(title: "Training loss", x: [1, 2, 3, 4, 5], y: [0.9, 0.7, .nan, 0.4, 0.3])
        #expect(desc(spec) == "Line chart of 1 series (); x from 1 to 5, y from 0.3 to 0.9. "
            + "1 point is not a finite number (nan) and is not drawn: the line has a gap there.")
        let root = try svg(spec)
        let line = try #require(root.all("path").first { $0["class"] == "line s1" }?["d"])
        #expect(line.filter { $0 == "M" }.count == 2, "two pieces: \(line)")
        #expect(root.all("circle").count == 4)
        let figure = ChartRenderer(spec: spec, id: "c").figure()
        #expect(figure.contains("<p class=\"chart-note\">1 point is not a finite number (nan) and is not drawn: the line has a gap there.</p>"))
        #expect(figure.contains("<td>nan</td>") || figure.contains(">nan</td>"))
    }

    @Test func aScatterOfLogSquaresSkipsMinusInfinity() throws {
        let xs = (0...20).map { (Double($0) - 10) / 10 }
        let spec = Chart.scatter(title: "log(x²)", x: xs, y: xs.map { log($0 * $0) })
        #expect(desc(spec).hasSuffix(" 1 point is not a finite number (-inf) and is not drawn."))
        #expect(desc(spec).contains("y from -4.6052 to 0."), "the range is of the finite values: \(desc(spec))")
        #expect(try svg(spec).all("circle").count == 20)
    }

    @Test func aBarThatIsNaNIsALabel() throws {
        let spec = Chart.bar(title: "Ratios", categories: ["a", "b"], values: [1, .nan])
        #expect(desc(spec) == "Bar chart of  for 2 categories; values from 1 to 1. "
            + "1 value is not a finite number (nan) and is shown as a label instead of a bar.")
        let root = try svg(spec)
        #expect(root.all("rect").filter { $0["class"]?.hasPrefix("bar") == true }.count == 1)
        #expect(root.all("text").filter { $0["class"] == "tick not-finite" }.map(\.text) == ["nan"])
    }

    // MARK: Every other numeric field

    @Test func bandsHistogramBinsHeatmapCellsAndMarkers() throws {
        let band = ChartSpec(title: "b", kind: .line([LineSeries(name: "s", points: [Point(x: 1, y: 1), Point(x: 2, y: .infinity), Point(x: 3, y: -.infinity)],
                                                                 band: [BandPoint(x: 1, low: 0, high: 2), BandPoint(x: 2, low: .nan, high: 3), BandPoint(x: 3, low: 0, high: 2)])]),
                             markers: [ChartMarker(x: .nan, label: "lost"), ChartMarker(x: 2, label: "kept")])
        #expect(desc(band) == "Line chart of 1 series (s); x from 1 to 3, y from 1 to 1. "
            + "2 points are not finite numbers (inf, -inf) and are not drawn: the line has gaps there. "
            + "1 band point is not a finite number (nan) and is not drawn. "
            + "1 marker is not at a finite x (nan) and is not drawn. Marked: kept at x 2.")
        let bandPath = try #require(try svg(band).all("path").first { $0["class"] == "band s1" }?["d"])
        #expect(bandPath.filter { $0 == "Z" }.count == 2)

        let histogram = ChartSpec(title: "h", kind: .histogram([HistogramBin(lower: 0, upper: 1, count: 3),
                                                                HistogramBin(lower: 1, upper: .infinity, count: 2)]))
        #expect(desc(histogram).hasSuffix(" 1 bin has a bound that is not a finite number (inf) and is not drawn."))
        #expect(try svg(histogram).all("rect").count == 1)

        let heatmap = Chart.heatmap(title: "m", rowLabels: ["a", "b"], columnLabels: ["x", "y"], values: [[1, .nan], [.infinity, 5e-324]])
        #expect(desc(heatmap) == "Heatmap of 2 rows by 2 columns; values from 4.941e-324 to 1. "
            + "2 cells are not finite numbers (nan, inf) and are not shaded.")
        let counts = try svg(heatmap).all("text").filter { $0["class"]?.hasPrefix("count") == true }.map(\.text)
        #expect(counts == ["1", "nan", "inf", "4.941e-324"])

        let summarised = ChartSpec(title: "s", summary: "Loss falls.", kind: .scatter([ScatterPoint(x: .nan, y: 1, group: "")]))
        #expect(desc(summarised) == "Loss falls. 1 point is not a finite number (nan) and is not drawn.")

        let markersOnBars = ChartSpec(title: "m", kind: .bar(categories: ["a"], series: [BarSeries(name: "", values: [1])]),
                                      markers: [ChartMarker(x: 1, label: "here")])
        #expect(desc(markersOnBars).hasSuffix(" 1 marker is not drawn: this kind of chart has no numeric x axis."))
    }

    @Test func finiteChartsSayNothingMore() {
        for spec in FixtureBook.chartSpecs {
            #expect(ChartRenderer(spec: spec, id: "c").notDrawn.isEmpty)
            #expect(!ChartRenderer(spec: spec, id: "c").figure().contains("chart-note"))
        }
    }

    // MARK: Across the JSON boundary

    static let nonFiniteSpecs: [ChartSpec] = [
        Chart.line(title: "l", x: [1, .nan, 3], y: [.infinity, 2, -.infinity], markers: [ChartMarker(x: .nan, label: "m")]),
        ChartSpec(title: "band", kind: .line([LineSeries(name: "s", points: [Point(x: 1, y: 1)], band: [BandPoint(x: 1, low: -.infinity, high: .nan)])])),
        Chart.bar(title: "b", categories: ["a", "b"], values: [.nan, 1]),
        ChartSpec(title: "h", kind: .histogram([HistogramBin(lower: -.infinity, upper: .nan, count: 1)])),
        Chart.scatter(title: "s", x: [.nan], y: [.infinity]),
        Chart.heatmap(title: "m", rowLabels: ["r"], columnLabels: ["c", "d"], values: [[.nan, -.infinity]]),
    ]

    func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    @Test(arguments: nonFiniteSpecs.indices) func nonFiniteValuesTravelAsStrings(_ index: Int) throws {
        let spec = Self.nonFiniteSpecs[index]
        let text = try json(Record.chart(spec))
        #expect(text.contains("\"nan\"") || text.contains("\"inf\"") || text.contains("\"-inf\""), "\(text)")
        let decoded = try JSONDecoder().decode(Record.self, from: Data(text.utf8))
        #expect(try json(decoded) == text)
        guard case let .chart(back) = decoded else { Issue.record("not a chart"); return }
        #expect(ChartRenderer(spec: back, id: "c").svg() == ChartRenderer(spec: spec, id: "c").svg())
    }

    @Test func finiteChartsEncodeExactlyAsBefore() throws {
        // The synthesized Codable's format, which the cache and older records hold.
        let expected = [
            #"{"kind":{"line":{"_0":[{"band":[{"high":3,"low":1,"x":1}],"name":"a","points":[{"x":1,"y":2.5}]}]}},"markers":[{"label":"m","x":1}],"title":"t"}"#,
            #"{"kind":{"bar":{"categories":["a"],"series":[{"name":"s","values":[1,-2]}]}},"title":"t"}"#,
            #"{"kind":{"histogram":{"_0":[{"count":3,"lower":0,"upper":0.5}]}},"title":"t"}"#,
            #"{"kind":{"scatter":{"_0":[{"group":"g","highlighted":true,"x":1,"y":2}]}},"title":"t"}"#,
            #"{"kind":{"heatmap":{"columnLabels":["c"],"rowLabels":["r"],"values":[[1e-300]]}},"title":"t"}"#,
            #"{"kind":{"tree":{"_0":[{"children":[1],"label":"root"},{"children":[],"label":"leaf"}]}},"title":"t"}"#,
        ]
        let specs: [ChartSpec] = [
            ChartSpec(title: "t", kind: .line([LineSeries(name: "a", points: [Point(x: 1, y: 2.5)], band: [BandPoint(x: 1, low: 1, high: 3)])]),
                      markers: [ChartMarker(x: 1, label: "m")]),
            ChartSpec(title: "t", kind: .bar(categories: ["a"], series: [BarSeries(name: "s", values: [1, -2])])),
            ChartSpec(title: "t", kind: .histogram([HistogramBin(lower: 0, upper: 0.5, count: 3)])),
            ChartSpec(title: "t", kind: .scatter([ScatterPoint(x: 1, y: 2, group: "g", highlighted: true)])),
            ChartSpec(title: "t", kind: .heatmap(rowLabels: ["r"], columnLabels: ["c"], values: [[1e-300]])),
            ChartSpec(title: "t", kind: .tree([TreeNode(label: "root", children: [1]), TreeNode(label: "leaf")])),
        ]
        for (spec, text) in zip(specs, expected) {
            #expect(try json(spec) == text)
            #expect(try JSONDecoder().decode(ChartSpec.self, from: Data(text.utf8)) == spec)
        }
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(ChartSpec.self, from: Data(#"{"kind":{"bar":{"categories":[],"series":[]},"tree":{"_0":[]}},"title":"t"}"#.utf8)) }
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Point.self, from: Data(#"{"x":"NaN","y":1}"#.utf8)) }
    }

    @Test func theRuntimeSendsANaNChartAsOneRecordLine() throws {
        let spec = Chart.line(title: "Training loss", x: [1, 2, 3], y: [0.9, .nan, 0.4])
        let line = try Channel.line(Wire.Envelope.record(.chart(spec)), nonce: "n0")
        let prefix = Wire.prefix(nonce: "n0")
        #expect(Array(line.prefix(prefix.count)) == prefix && line.last == 0x0A)
        #expect(line.dropLast().filter { $0 == 0x0A }.isEmpty)
        // As the engine reads it.
        let envelope = try JSONDecoder().decode(Wire.Envelope.self, from: Data(line[prefix.count..<(line.count - 1)]))
        guard case let .record(.chart(back)) = envelope else { Issue.record("not a chart record"); return }
        #expect(ChartRenderer(spec: back, id: "c").description.hasSuffix("1 point is not a finite number (nan) and is not drawn: the line has a gap there."))
    }

    @Test func aRecordThatCannotBeSentIsNamedInTheFailure() {
        let error = EncodingError.invalidValue(Double.nan, EncodingError.Context(
            codingPath: [AnyKey("record"), AnyKey("_0"), AnyKey("rows"), AnyKey(index: 2)], debugDescription: "Unable to encode Double.nan directly in JSON."))
        let message = Channel.failureMessage(.record(.table(TableSpec(title: "Scores", columns: ["a"], rows: []))), error: error)
        #expect(message == "could not send the table \"Scores\" to the notebook engine: nan at record._0.rows.2 cannot be written as JSON "
            + "(Unable to encode Double.nan directly in JSON.).")
        #expect(Channel.failureMessage(.record(.chart(Chart.bar(title: "R", categories: [], values: []))), error: error)
            .hasPrefix("could not send the chart \"R\" to the notebook engine: "))
    }
}

struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(_ string: String) { stringValue = string }
    init(index: Int) { stringValue = String(index); intValue = index }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { self.init(index: intValue) }
}
