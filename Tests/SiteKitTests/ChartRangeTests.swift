import BookModel
import Foundation
import LoopbookRuntime
import Testing
@testable import ChartSVG
@testable import SiteKit

/// Any finite range draws: spans that overflow, subnormals, all-equal values — and, fuzzed, any doubles
/// at all in every numeric field of every chart kind (issue 11, case a04).
@Suite struct ChartRangeTests {
    static let coordinateNames: Set<String> = ["x", "y", "x1", "x2", "y1", "y2", "cx", "cy", "r", "width", "height"]

    /// Renders `spec` and checks the SVG parses and every coordinate is a finite number on or near the canvas.
    @discardableResult
    func render(_ spec: ChartSpec, sourceLocation: SourceLocation = #_sourceLocation) throws -> XMLNode {
        let renderer = ChartRenderer(spec: spec, id: "c")
        let figure = renderer.figure()
        #expect(figure == ChartRenderer(spec: spec, id: "c").figure(), sourceLocation: sourceLocation)
        let root = try XMLNode.parse(renderer.svg())
        // The drawing's size is its viewBox (the element itself is as wide as the column: width="100%").
        let box = (root["viewBox"] ?? "").split(separator: " ").compactMap { Double($0) }
        let width = box.count == 4 ? box[2] : 0, height = box.count == 4 ? box[3] : 0
        #expect(root["width"] == "100%", sourceLocation: sourceLocation)
        #expect(width > 0 && width.isFinite && height > 0 && height.isFinite, sourceLocation: sourceLocation)
        let reach = 10 * max(width, height) + 10
        for element in root.everything {
            for (name, value) in element.attributes where Self.coordinateNames.contains(name)
                && !(element.name == "svg" && name == "width") {
                let number = try #require(Double(value), "\(element.name) \(name)=\(value)", sourceLocation: sourceLocation)
                #expect(abs(number) <= reach, "\(spec.title): \(element.name) \(name)=\(value)", sourceLocation: sourceLocation)
            }
            if element.name == "path", let d = element["d"] {
                let numbers = d.split(whereSeparator: { "MLCZ ".contains($0) }).map { Double($0) }
                #expect(numbers.allSatisfy { $0.map { abs($0) <= reach } ?? false }, "\(spec.title): d=\(d)", sourceLocation: sourceLocation)
            }
        }
        return root
    }

    func tickLabels(_ root: XMLNode) -> [String] {
        root.all("text").filter { $0["class"] == "tick" && $0["text-anchor"] == "end" }.map(\.text)
    }

    // MARK: The case and its siblings

    @Test func theCaseA04AWideLineDraws() throws {
        let root = try render(Chart.line(title: "wide", x: [0.0, 1.0], y: [-1e308, 1e308]))
        #expect(tickLabels(root) == ["-1e+308", "-5e+307", "0", "5e+307", "1e+308"])
        let dots = root.all("circle").compactMap { $0["cy"].flatMap(Double.init) }
        #expect(dots.count == 2 && dots[0] > dots[1], "the low point below the high one: \(dots)")
    }

    @Test func aTinyBarDraws() throws {
        let root = try render(Chart.bar(title: "tiny", categories: ["a", "b"], values: [0, 5e-324]))
        let labels = tickLabels(root)
        #expect(labels.first == "0" && labels.count >= 2 && Set(labels).count == labels.count, "\(labels)")
    }

    @Test func theWholeDoubleRangeDraws() throws {
        let greatest = Double.greatestFiniteMagnitude
        let pairs: [([Double], [Double])] = [([-greatest, greatest], [greatest, -greatest]), ([0, 1], [greatest, greatest]), ([1, 2], [-greatest, -greatest]),
                       ([5e-324, 1e-323], [5e-324, -5e-324]), ([1, 1], [1e-320, 1e-320]), ([1, 1 + 2.2e-16], [1, 1.0000000000000002]),
                       ([1e300, 1e300], [0, 0]), ([-0.0, 0.0], [3, 3])]
        for (x, y) in pairs {
            let root = try render(Chart.line(title: "\(x) \(y)", x: x, y: y))
            let labels = tickLabels(root)
            #expect(Set(labels).count == labels.count && labels.allSatisfy { $0.count <= 24 }, "\(x) \(y): \(labels)")
            try render(Chart.scatter(title: "s", x: x, y: y))
            try render(Chart.bar(title: "b", categories: ["a", "b"], values: y))
            try render(Chart.heatmap(title: "h", rowLabels: ["r"], columnLabels: ["a", "b"], values: [y]))
            try render(Chart.histogram(x + y, bins: 3))
            try render(ChartSpec(title: "h", kind: .histogram([HistogramBin(lower: x[0], upper: x[1], count: 1),
                                                               HistogramBin(lower: y[0], upper: y[1], count: Int.max)])))
        }
    }

    @Test func ticksOnExtremeRangesAreFiniteIncreasingAndDistinctlyLabelled() {
        let greatest = Double.greatestFiniteMagnitude
        for (lower, upper) in [(-1e308, 1e308), (-greatest, greatest), (0, 5e-324), (5e-324, 5e-324), (greatest, greatest),
                               (-greatest, -greatest), (1, 1.0000000000000002), (1e-320, 3e-320), (0, greatest), (1e15, 1e15 + 1)] {
            for target in [1, 5, 6] {
                let ticks = Ticks(lower: lower, upper: upper, target: target)
                #expect(ticks.values.count >= 2 && ticks.values.allSatisfy(\.isFinite), "\(lower)…\(upper): \(ticks.values)")
                #expect(zip(ticks.values, ticks.values.dropFirst()).allSatisfy { $0 < $1 }, "\(lower)…\(upper): \(ticks.values)")
                let labels = ticks.values.map(ticks.label)
                #expect(Set(labels).count == labels.count, "\(lower)…\(upper): \(labels)")
                #expect(ticks.values.first! <= lower && ticks.values.last! >= upper || lower == upper, "\(lower)…\(upper): \(ticks.values)")
            }
        }
        // Ordinary ranges keep their nice ticks and fixed labels.
        #expect(Ticks(lower: 0, upper: 7).values == [0, 2, 4, 6, 8])
        #expect(Ticks(lower: 0, upper: 7).significantDigits == nil)
        #expect(Ticks(lower: 0, upper: 1e-12).values.map(Ticks(lower: 0, upper: 1e-12).label)
            == ["0", "2e-13", "4e-13", "6e-13", "8e-13", "1e-12"])
    }

    @Test func scalesNeverGiveAnInfiniteOrHugeCoordinate() {
        let greatest = Double.greatestFiniteMagnitude
        let scale = LinearScale(domain: (-greatest, greatest), range: (300, 10))
        #expect(scale(-greatest) == 300 && scale(greatest) == 10 && scale(0) == 155)
        let narrow = LinearScale(domain: (0, 1), range: (0, 100))
        #expect(narrow(greatest) == 1100 && narrow(-.infinity) == -1000)
        let extent = LinearScale.extent([-greatest, greatest], padding: 0.05)
        #expect(extent.lower == -greatest && extent.upper == greatest)
        let tiny = LinearScale.extent([5e-324, 5e-324])
        #expect(tiny.lower == -1 && tiny.upper == 1)
    }

    @Test func theRuntimeBinsAnyFiniteRange() {
        let greatest = Double.greatestFiniteMagnitude
        for values in [[-greatest, greatest, 0], [0, 5e-324, 5e-324], [-1e308, 1e308], [1e-320, 3e-320, 2e-320], [greatest, greatest]] {
            for bins in [1, 3, 10] {
                let binned = Chart.binned(values + [.nan, .infinity], bins: bins)
                #expect(binned.reduce(0) { $0 + $1.count } == values.count, "\(values) in \(bins)")
                #expect(binned.allSatisfy { $0.lower.isFinite && $0.upper.isFinite && $0.lower <= $0.upper }, "\(binned)")
                #expect(binned.last?.count ?? 0 >= 1, "the largest value is in the last bin: \(binned)")
            }
        }
        // Ordinary ranges bin as before.
        #expect(Chart.binned([0, 1, 2, 3, 4], bins: 2) == [HistogramBin(lower: 0, upper: 2, count: 2), HistogramBin(lower: 2, upper: 4, count: 3)])
    }

    // MARK: Fuzz

    static let special: [Double] = [0, -0.0, 1, -1, .nan, .infinity, -.infinity, .greatestFiniteMagnitude, -.greatestFiniteMagnitude,
                                    .leastNonzeroMagnitude, -.leastNonzeroMagnitude, .leastNormalMagnitude, 1e308, -1e308, 1e-320,
                                    1e15, 9.3e17, -9.3e17, 0.1, 1 + .ulpOfOne]

    struct Doubles {
        var generator: SplitMix
        mutating func next() -> Double {
            let roll = generator.next() % 10
            if roll < 4 { return ChartRangeTests.special[Int(generator.next() % UInt64(ChartRangeTests.special.count))] }
            if roll < 6 { return Double(bitPattern: generator.next()) }  // anything, nan payloads included
            let exponent = Double(Int(generator.next() % 40) - 20)
            return (Double(generator.next() % 2001) / 1000 - 1) * pow(10, exponent)
        }
        mutating func many(_ limit: UInt64 = 8) -> [Double] { (0..<Int(generator.next() % limit)).map { _ in next() } }
        mutating func count() -> Int { [0, 1, 7, -3, Int.max, Int.min][Int(generator.next() % 6)] }
    }

    @Test func randomDoublesInEveryFieldOfEveryKindDraw() throws {
        var doubles = Doubles(generator: SplitMix(seed: 2024))
        for iteration in 0..<400 {
            let xs = doubles.many(), ys = doubles.many()
            let markers = doubles.many(3).map { ChartMarker(x: $0, label: "m") }
            let band = zip(xs, ys).map { BandPoint(x: $0, low: $1, high: doubles.next()) }
            let specs: [ChartSpec] = [
                ChartSpec(title: "line \(iteration)", kind: .line([LineSeries(name: "a", points: zip(xs, ys).map { Point(x: $0, y: $1) }, band: band),
                                                                 LineSeries(name: "b", points: zip(ys, xs).map { Point(x: $0, y: $1) })]),
                          markers: markers),
                Chart.bar(title: "bar", categories: ["a", "b", "c"], series: [BarSeries(name: "s", values: xs), BarSeries(name: "t", values: ys)]),
                ChartSpec(title: "histogram", kind: .histogram(zip(xs, ys).map { HistogramBin(lower: $0, upper: $1, count: doubles.count()) }),
                          markers: markers),
                Chart.histogram(xs + ys, bins: Int(iteration % 12)),
                Chart.scatter(title: "scatter", x: xs, y: ys, highlighted: xs.map { $0 > 0 }),
                Chart.heatmap(title: "heatmap", rowLabels: ["r", "s"], columnLabels: ["c"], values: [xs, ys]),
                ChartSpec(title: "tree", kind: .tree([TreeNode(label: NumberFormat.compact(doubles.next()), detail: "\(doubles.next())",
                                                               children: [1, -1, Int.max, 0]),
                                                      TreeNode(label: "", children: [0, 1])]), markers: markers),
            ]
            for spec in specs {
                try render(spec)
                let notDrawn = ChartRenderer(spec: spec, id: "c").notDrawn.joined(separator: " ")
                #expect(!notDrawn.contains("(") || notDrawn.contains("nan") || notDrawn.contains("inf"), "\(notDrawn)")
            }
        }
    }
}

/// A small deterministic generator for the tests' random inputs.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
