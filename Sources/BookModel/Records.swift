/// The typed records a chapter program sends to the notebook engine, and that the site renders.
///
/// These types are the contract between three targets: `LoopbookRuntime` encodes them (in the chapter
/// process), `Notebook` decodes and caches them, and `SiteKit` draws them. Everything is `Codable` so a
/// record crosses the process boundary as one JSON line; everything is plain data so rendering is pure.

/// One thing a step produced, in the order it produced it.
public enum Record: Codable, Sendable, Equatable {
    /// A table, e.g. the first rows of a dataset, a classification report, an array of records.
    case table(TableSpec)
    /// A chart, drawn as SVG by the site.
    case chart(ChartSpec)
    /// A named metric shown as a highlighted figure, e.g. "Accuracy 0.85".
    case metric(MetricSpec)
    /// A value published for prose (`{{ key }}`); `text` is its deterministic formatting.
    case value(key: String, text: String)
    /// A file the step wrote into the chapter's working directory, offered for download.
    case file(FileSpec)
    /// One verdict of an exercise's check (`check(condition, message)` in a ```swift check step).
    case check(CheckSpec)
}

/// Whether one condition of an exercise's check held, and the author's message for the student,
/// e.g. `CheckSpec(passed: false, message: "total should be 6, the sum of 1, 2 and 3")`.
public struct CheckSpec: Codable, Sendable, Equatable {
    public var passed: Bool
    public var message: String
    public init(passed: Bool, message: String) { self.passed = passed; self.message = message }
}

/// A table with a header row. Cells are pre-formatted text; `numeric` columns are right-aligned.
public struct TableSpec: Codable, Sendable, Equatable {
    public var title: String?
    public var columns: [String]
    /// For each column, whether it holds numbers (right-aligned in the page).
    public var numeric: [Bool]
    public var rows: [[String]]
    /// Set when rows were cut for display: the number of rows in the full table.
    public var totalRows: Int?

    public init(title: String? = nil, columns: [String], numeric: [Bool]? = nil, rows: [[String]], totalRows: Int? = nil) {
        self.title = title
        self.columns = columns
        self.numeric = numeric ?? Array(repeating: false, count: columns.count)
        self.rows = rows
        self.totalRows = totalRows
    }
}

/// A named figure, e.g. `MetricSpec(name: "Holdout accuracy", text: "0.815")`.
public struct MetricSpec: Codable, Sendable, Equatable {
    public var name: String
    public var text: String
    public var detail: String?
    public init(name: String, text: String, detail: String? = nil) {
        self.name = name
        self.text = text
        self.detail = detail
    }
}

/// A downloadable file, by its path relative to the chapter's working directory.
public struct FileSpec: Codable, Sendable, Equatable {
    public var path: String
    public var description: String?
    public init(path: String, description: String? = nil) {
        self.path = path
        self.description = description
    }
}

/// A chart as data. The site decides how it looks; the chapter decides what it says.
public struct ChartSpec: Codable, Sendable, Equatable {
    public var title: String
    /// A sentence describing the chart for screen readers (`<desc>`); defaults to one made from the data.
    public var summary: String?
    public var xLabel: String?
    public var yLabel: String?
    public var kind: Kind
    /// Labelled x positions, e.g. where a rule changes, drawn on line charts as dashed vertical lines.
    /// Optional so records written before markers existed still decode (and nil encodes as before).
    public var markers: [ChartMarker]?

    public init(title: String, summary: String? = nil, xLabel: String? = nil, yLabel: String? = nil, kind: Kind,
                markers: [ChartMarker]? = nil) {
        self.title = title
        self.summary = summary
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.kind = kind
        self.markers = markers
    }

    public enum Kind: Codable, Sendable, Equatable {
        /// Several series of (x, y) points, each with an optional shaded band (e.g. min–max across seeds).
        case line([LineSeries])
        /// Grouped bars: one value per category per series.
        case bar(categories: [String], series: [BarSeries])
        /// Pre-binned counts (the runtime bins raw values deterministically).
        case histogram([HistogramBin])
        /// Points, some highlighted (e.g. the rows the model got wrong).
        case scatter([ScatterPoint])
        /// A matrix of values with row and column labels, e.g. a confusion matrix (rows = true class).
        case heatmap(rowLabels: [String], columnLabels: [String], values: [[Double]])
        /// A tree drawn top-down; node 0 is the root.
        case tree([TreeNode])
    }
}

/// A labelled x position on a chart, e.g. `ChartMarker(x: 8.5, label: "the rule changes")`.
public struct ChartMarker: Codable, Sendable, Equatable {
    public var x: Double
    public var label: String
    public init(x: Double, label: String) { self.x = x; self.label = label }
}

public struct LineSeries: Codable, Sendable, Equatable {
    public var name: String
    public var points: [Point]
    /// Optional band around the line, one entry per x (low and high).
    public var band: [BandPoint]?
    public init(name: String, points: [Point], band: [BandPoint]? = nil) {
        self.name = name
        self.points = points
        self.band = band
    }
}

public struct Point: Codable, Sendable, Equatable {
    public var x: Double
    public var y: Double
    public init(x: Double, y: Double) { self.x = x; self.y = y }
}

public struct BandPoint: Codable, Sendable, Equatable {
    public var x: Double
    public var low: Double
    public var high: Double
    public init(x: Double, low: Double, high: Double) { self.x = x; self.low = low; self.high = high }
}

public struct BarSeries: Codable, Sendable, Equatable {
    public var name: String
    public var values: [Double]
    public init(name: String, values: [Double]) { self.name = name; self.values = values }
}

public struct HistogramBin: Codable, Sendable, Equatable {
    public var lower: Double
    public var upper: Double
    public var count: Int
    public init(lower: Double, upper: Double, count: Int) { self.lower = lower; self.upper = upper; self.count = count }
}

public struct ScatterPoint: Codable, Sendable, Equatable {
    public var x: Double
    public var y: Double
    /// The group (legend entry and colour), e.g. the class label.
    public var group: String
    public var highlighted: Bool
    public init(x: Double, y: Double, group: String, highlighted: Bool = false) {
        self.x = x; self.y = y; self.group = group; self.highlighted = highlighted
    }
}

public struct TreeNode: Codable, Sendable, Equatable {
    /// The first line, e.g. "x[2] ≤ 0.31" or "class 1".
    public var label: String
    /// A second, smaller line, e.g. "gini 0.48 · n 80".
    public var detail: String?
    /// Indices of the children in the node array (empty for a leaf or a cut-off branch).
    public var children: [Int]
    public init(label: String, detail: String? = nil, children: [Int] = []) {
        self.label = label; self.detail = detail; self.children = children
    }
}
