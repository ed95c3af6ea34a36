/// How chart data crosses JSON, which has no numbers for nan, inf and -inf.
///
/// A finite value is a JSON number, exactly as the synthesized `Codable` wrote it (so records and cache
/// entries written before keep decoding, and finite charts encode byte for byte as before); a non-finite
/// one is the string `"nan"`, `"inf"` or `"-inf"` (as `NumberFormat` spells them), so a chart with a
/// gap reaches the site instead of failing to encode. Each chart type with a `Double` gets its
/// `Codable` here, with the same keys, in the same order, as the synthesized one.
struct ChartNumber: Codable {
    var value: Double

    init(_ value: Double) { self.value = value }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Double.self) {
            value = number
            return
        }
        switch try container.decode(String.self) {
        case "nan": value = .nan
        case "inf": value = .infinity
        case "-inf": value = -.infinity
        case let other:
            throw DecodingError.dataCorruptedError(in: container, debugDescription:
                "expected a number, \"nan\", \"inf\" or \"-inf\", not \"\(other)\"")
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let text = NumberFormat.nonFinite(value) { try container.encode(text) } else { try container.encode(value) }
    }
}

extension KeyedDecodingContainer {
    func chartNumber(_ key: Key) throws -> Double { try decode(ChartNumber.self, forKey: key).value }
    func chartNumbers(_ key: Key) throws -> [Double] { try decode([ChartNumber].self, forKey: key).map(\.value) }
}

extension KeyedEncodingContainer {
    mutating func encode(chartNumber value: Double, forKey key: Key) throws { try encode(ChartNumber(value), forKey: key) }
    mutating func encode(chartNumbers values: [Double], forKey key: Key) throws {
        try encode(values.map(ChartNumber.init), forKey: key)
    }
}

extension ChartMarker {
    private enum Keys: String, CodingKey { case x, label }
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        self.init(x: try c.chartNumber(.x), label: try c.decode(String.self, forKey: .label))
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(chartNumber: x, forKey: .x)
        try c.encode(label, forKey: .label)
    }
}

extension Point {
    private enum Keys: String, CodingKey { case x, y }
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        self.init(x: try c.chartNumber(.x), y: try c.chartNumber(.y))
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(chartNumber: x, forKey: .x)
        try c.encode(chartNumber: y, forKey: .y)
    }
}

extension BandPoint {
    private enum Keys: String, CodingKey { case x, low, high }
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        self.init(x: try c.chartNumber(.x), low: try c.chartNumber(.low), high: try c.chartNumber(.high))
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(chartNumber: x, forKey: .x)
        try c.encode(chartNumber: low, forKey: .low)
        try c.encode(chartNumber: high, forKey: .high)
    }
}

extension BarSeries {
    private enum Keys: String, CodingKey { case name, values }
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        self.init(name: try c.decode(String.self, forKey: .name), values: try c.chartNumbers(.values))
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(name, forKey: .name)
        try c.encode(chartNumbers: values, forKey: .values)
    }
}

extension HistogramBin {
    private enum Keys: String, CodingKey { case lower, upper, count }
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        self.init(lower: try c.chartNumber(.lower), upper: try c.chartNumber(.upper), count: try c.decode(Int.self, forKey: .count))
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(chartNumber: lower, forKey: .lower)
        try c.encode(chartNumber: upper, forKey: .upper)
        try c.encode(count, forKey: .count)
    }
}

extension ScatterPoint {
    private enum Keys: String, CodingKey { case x, y, group, highlighted }
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        self.init(x: try c.chartNumber(.x), y: try c.chartNumber(.y), group: try c.decode(String.self, forKey: .group),
                  highlighted: try c.decode(Bool.self, forKey: .highlighted))
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(chartNumber: x, forKey: .x)
        try c.encode(chartNumber: y, forKey: .y)
        try c.encode(group, forKey: .group)
        try c.encode(highlighted, forKey: .highlighted)
    }
}

/// The kind enum as the synthesized `Codable` writes it — `{"line":{"_0":[…]}}`,
/// `{"heatmap":{"rowLabels":[…],"columnLabels":[…],"values":[[…]]}}` — written by hand only so that the
/// heatmap's matrix goes through `ChartNumber`.
extension ChartSpec.Kind {
    private enum Keys: String, CodingKey { case line, bar, histogram, scatter, heatmap, tree }
    private enum Unlabelled: String, CodingKey { case _0 }
    private enum BarKeys: String, CodingKey { case categories, series }
    private enum HeatmapKeys: String, CodingKey { case rowLabels, columnLabels, values }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        guard c.allKeys.count == 1, let key = c.allKeys.first else {
            throw DecodingError.typeMismatch(ChartSpec.Kind.self, DecodingError.Context(
                codingPath: c.codingPath, debugDescription: "Invalid number of keys found, expected one."))
        }
        switch key {
        case .line: self = .line(try c.nestedContainer(keyedBy: Unlabelled.self, forKey: key).decode([LineSeries].self, forKey: ._0))
        case .histogram:
            self = .histogram(try c.nestedContainer(keyedBy: Unlabelled.self, forKey: key).decode([HistogramBin].self, forKey: ._0))
        case .scatter:
            self = .scatter(try c.nestedContainer(keyedBy: Unlabelled.self, forKey: key).decode([ScatterPoint].self, forKey: ._0))
        case .tree: self = .tree(try c.nestedContainer(keyedBy: Unlabelled.self, forKey: key).decode([TreeNode].self, forKey: ._0))
        case .bar:
            let bar = try c.nestedContainer(keyedBy: BarKeys.self, forKey: key)
            self = .bar(categories: try bar.decode([String].self, forKey: .categories),
                        series: try bar.decode([BarSeries].self, forKey: .series))
        case .heatmap:
            let heatmap = try c.nestedContainer(keyedBy: HeatmapKeys.self, forKey: key)
            self = .heatmap(rowLabels: try heatmap.decode([String].self, forKey: .rowLabels),
                            columnLabels: try heatmap.decode([String].self, forKey: .columnLabels),
                            values: try heatmap.decode([[ChartNumber]].self, forKey: .values).map { $0.map(\.value) })
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        switch self {
        case let .line(series):
            var nested = c.nestedContainer(keyedBy: Unlabelled.self, forKey: .line)
            try nested.encode(series, forKey: ._0)
        case let .bar(categories, series):
            var nested = c.nestedContainer(keyedBy: BarKeys.self, forKey: .bar)
            try nested.encode(categories, forKey: .categories)
            try nested.encode(series, forKey: .series)
        case let .histogram(bins):
            var nested = c.nestedContainer(keyedBy: Unlabelled.self, forKey: .histogram)
            try nested.encode(bins, forKey: ._0)
        case let .scatter(points):
            var nested = c.nestedContainer(keyedBy: Unlabelled.self, forKey: .scatter)
            try nested.encode(points, forKey: ._0)
        case let .heatmap(rowLabels, columnLabels, values):
            var nested = c.nestedContainer(keyedBy: HeatmapKeys.self, forKey: .heatmap)
            try nested.encode(rowLabels, forKey: .rowLabels)
            try nested.encode(columnLabels, forKey: .columnLabels)
            try nested.encode(values.map { $0.map(ChartNumber.init) }, forKey: .values)
        case let .tree(nodes):
            var nested = c.nestedContainer(keyedBy: Unlabelled.self, forKey: .tree)
            try nested.encode(nodes, forKey: ._0)
        }
    }
}
