import BookModel
@testable import ChartSVG
import Foundation
import LoopbookRuntime
import Testing
@testable import SiteKit

/// Every chart kind renders to well-formed, accessible, deterministic SVG.
@Suite struct ChartTests {
    static let specs = FixtureBook.chartSpecs

    func parse(_ svg: String) throws -> XMLNode { try XMLNode.parse(svg) }

    @Test(arguments: specs.indices) func svgParsesAsXMLWithTitleAndDesc(_ index: Int) throws {
        let spec = Self.specs[index]
        let svg = ChartRenderer(spec: spec, id: "chart-\(index)").svg()
        let root = try parse(svg)
        #expect(root.name == "svg")
        #expect(root["role"] == "img")
        #expect(root.all("title").first?.text == spec.title)
        let desc = try #require(root.all("desc").first?.text)
        #expect(desc.count > 10, "the <desc> should be a sentence: \(desc)")
        #expect(root["aria-labelledby"] == "chart-\(index)-title chart-\(index)-desc")
    }

    @Test(arguments: specs.indices) func figureHasDataTableAndIsDeterministic(_ index: Int) throws {
        let spec = Self.specs[index]
        let first = ChartRenderer(spec: spec, id: "c").figure()
        #expect(first == ChartRenderer(spec: spec, id: "c").figure())
        #expect(first.contains("<details class=\"chart-data\"><summary>Data</summary>"))
        #expect(first.contains("<table class=\"data\">"))
        // The figure as a whole is also well-formed XML (our HTML is XHTML-compatible here).
        _ = try parse(first)
    }

    /// A downloaded chapter's `swift run` writes each chart as an SVG file of its own: well-formed XML, its
    /// natural size, the site's colours in a `<style>` (no stylesheet), the page's title and description.
    @Test(arguments: specs.indices) func standaloneDocumentIsAFileOfItsOwn(_ index: Int) throws {
        let spec = Self.specs[index]
        let image = ChartImage(spec: spec, id: "chart-1")
        let document = image.standaloneDocument()
        #expect(document.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" "))
        #expect(document == ChartImage(spec: spec, id: "chart-1").standaloneDocument())
        let root = try parse(document)
        #expect(root.name == "svg")
        let width = try #require(root["width"].flatMap(Double.init))
        #expect(root["viewBox"]?.hasPrefix("0 0 \(NumberFormat.coordinate(width)) ") == true)
        #expect(root.all("title").first?.text == spec.title)
        #expect(root.all("desc").first?.text == image.description)
        #expect(root.all("style").first?.text.contains(".s1 { --c: #2563b8; }") == true)
        #expect(!document.contains("var(--series"), "a file of its own cannot rely on the site's variables")
    }

    /// A chart is as wide as the column (never a fixed 600 px that a phone must scroll), up to its own width;
    /// the height follows from the viewBox. Wide ones are marked, so a phone draws their text larger.
    @Test(arguments: specs.indices) func svgScalesToTheColumn(_ index: Int) throws {
        let root = try parse(ChartRenderer(spec: Self.specs[index], id: "c").svg())
        let box = try #require(root["viewBox"]).split(separator: " ").compactMap { Double($0) }
        #expect(box.count == 4 && box[2] > 0 && box[3] > 0)
        #expect(root["width"] == "100%")
        #expect(root["height"] == nil)
        #expect(root["style"] == "max-width:\(NumberFormat.coordinate(box[2]))px")
        #expect(root["class"] == (box[2] >= 480 ? "chart-svg scales" : "chart-svg"))
    }

    @Test func coordinatesHaveAtMostOneDecimal() {
        let coordinates: Set<String> = ["x", "y", "x1", "x2", "y1", "y2", "cx", "cy", "r", "width", "height", "d", "viewBox"]
        for spec in Self.specs {
            let root = try! parse(ChartRenderer(spec: spec, id: "c").svg())
            for element in root.everything {
                for (name, value) in element.attributes where coordinates.contains(name) {
                    #expect(value.firstMatch(of: /\d\.\d\d/) == nil, "\(spec.title): \(element.name) \(name)=\(value)")
                }
            }
        }
    }

    @Test func summaryWinsOverGeneratedDescription() {
        #expect(ChartRenderer(spec: Self.specs[1], id: "c").description == "Most errors are versicolor.")
        #expect(ChartRenderer(spec: Self.specs[4], id: "c").description
            == "Heatmap of 3 rows by 3 columns; values from 0 to 10.")
    }

    @Test func lineChartDrawsOnePathPerSeriesAndABand() throws {
        let root = try parse(ChartRenderer(spec: Self.specs[0], id: "c").svg())
        let paths = root.all("path").compactMap { $0["class"] }
        #expect(paths == ["band s1", "line s1", "line s2"])
        let legend = root.all("text").filter { $0["class"] == "legend" }
        #expect(legend.map(\.text) == ["with feedback", "without"])
    }

    @Test func heatmapWritesCountsInCells() throws {
        let root = try parse(ChartRenderer(spec: Self.specs[4], id: "c").svg())
        let counts = root.all("text").filter { ($0["class"] ?? "").hasPrefix("count") }
        #expect(counts.map(\.text) == ["10", "0", "0", "0", "8", "1", "0", "1", "10"])
        #expect(root.all("rect").count == 9)
    }

    @Test func scatterHighlightsPoints() throws {
        let root = try parse(ChartRenderer(spec: Self.specs[3], id: "c").svg())
        let highlighted = root.all("circle").filter { ($0["class"] ?? "").hasPrefix("dot hl s") }
        #expect(highlighted.count == 2)
    }

    @Test func treeShowsFirstLevelsAndMarksCutBranches() throws {
        let root = try parse(ChartRenderer(spec: Self.specs[5], id: "c").svg())
        let labels = root.all("text").filter { $0["class"] == "node-label" }
        // Nodes 7 and 8 are at depth 4 and are cut off; the rest is drawn.
        #expect(labels.count == 7)
        #expect(!labels.contains { $0.text == "versicolor" })
        #expect(root.all("line").contains { $0["class"] == "edge cut" })
    }

    @Test func treeSurvivesCyclesAndBadIndices() throws {
        let spec = ChartSpec(title: "Broken", kind: .tree([TreeNode(label: "a", children: [1, 0, 7]), TreeNode(label: "b", children: [0])]))
        let root = try parse(ChartRenderer(spec: spec, id: "c").svg())
        #expect(root.all("rect").count == 2)
    }

    @Test func emptyAndDegenerateDataStillParse() throws {
        let specs: [ChartSpec] = [
            ChartSpec(title: "Empty line", kind: .line([])),
            ChartSpec(title: "Flat", kind: .line([LineSeries(name: "a", points: [Point(x: 1, y: 2), Point(x: 1, y: 2)])])),
            ChartSpec(title: "No bars", kind: .bar(categories: [], series: [])),
            ChartSpec(title: "Negative bars", kind: .bar(categories: ["a", "b"], series: [BarSeries(name: "s", values: [-3, 2])])),
            ChartSpec(title: "No bins", kind: .histogram([])),
            ChartSpec(title: "No points", kind: .scatter([])),
            ChartSpec(title: "No cells", kind: .heatmap(rowLabels: [], columnLabels: [], values: [])),
            ChartSpec(title: "No nodes", kind: .tree([])),
            ChartSpec(title: "NaN <&>", kind: .line([LineSeries(name: "x\"y", points: [Point(x: .nan, y: .infinity)])])),
        ]
        for spec in specs {
            _ = try parse(ChartRenderer(spec: spec, id: "c").svg())
        }
    }

    @Test func niceTicks() {
        #expect(Ticks(lower: 0.71, upper: 0.93).values.map { Ticks(lower: 0.71, upper: 0.93).label($0) }
            == ["0.70", "0.75", "0.80", "0.85", "0.90", "0.95"])
        #expect(Ticks(lower: 0, upper: 50).values == [0, 10, 20, 30, 40, 50])
        #expect(Ticks(lower: 0, upper: 7).values == [0, 2, 4, 6, 8])
        #expect(Ticks(lower: 3, upper: 3).values.count >= 2)
        #expect(Ticks.inside(lower: 1, upper: 8, target: 6).values == [2, 4, 6, 8])
        #expect(Ticks(lower: 0, upper: 1200).label(1000) == "1000")
    }

    @Test func coordinateFormatting() {
        #expect(NumberFormat.coordinate(12.0) == "12")
        #expect(NumberFormat.coordinate(12.34) == "12.3")
        #expect(NumberFormat.coordinate(-0.04) == "0")
        #expect(NumberFormat.coordinate(-0.36) == "-0.4")
        #expect(NumberFormat.coordinate(-12.36) == "-12.4")
        #expect(NumberFormat.compact(0.8333333) == "0.8333")
        #expect(NumberFormat.compact(150) == "150")
    }
}
