/// A small column-oriented table: named `Double` feature columns and an optional integer label column.
///
/// It plays the part of the pandas `DataFrame` in the tutorial: `Table.readCSV("sample_data.csv")`,
/// `table.rows` for the feature matrix that `fit` takes, `table.labels` for `y`, `head()`,
/// `describe()`, `rows(at:)` for `iloc`. Tables are values: every operation returns a new table.
public struct Table: Sendable, Equatable {
    /// The feature column names, in order.
    public let columnNames: [String]
    /// The feature columns, parallel to `columnNames`.
    public let columns: [[Double]]
    /// The label column's name (e.g. `"target"`), or `nil` when the table has no labels.
    public let labelName: String?
    /// One integer label per row, or `nil` when the table has no labels.
    public let labels: [Int]?
    /// The number of rows.
    public let rowCount: Int

    /// Makes a table from named columns in order, e.g. `Table(["x": [1, 2], "y": [3, 4]], labels: [0, 1])`.
    ///
    /// `labelName` defaults to `"target"` when `labels` are given. Throws `TableError` for columns of
    /// different lengths, a label count that differs from the row count, duplicate names, or a
    /// `labelName` without `labels`.
    public init(_ columns: KeyValuePairs<String, [Double]>, labelName: String? = nil, labels: [Int]? = nil) throws {
        try self.init(columns: columns.map { (name: $0.key, values: $0.value) }, labelName: labelName, labels: labels)
    }

    /// Makes a table from an array of named columns (the same rules as the `KeyValuePairs` initialiser).
    public init(columns: [(name: String, values: [Double])], labelName: String? = nil, labels: [Int]? = nil) throws {
        let rowCount = columns.first?.values.count ?? labels?.count ?? 0
        for column in columns where column.values.count != rowCount {
            throw TableError.raggedColumns(column: column.name, count: column.values.count,
                                           expectedColumn: columns[0].name, expected: rowCount)
        }
        try self.init(validatedNames: columns.map(\.name), columns: columns.map(\.values),
                      rowCount: rowCount, labelName: labelName, labels: labels)
    }

    /// Makes a table from row-major values (`rows[i][j]` is row `i`, column `columnNames[j]`).
    public init(columnNames: [String], rows: [[Double]], labelName: String? = nil, labels: [Int]? = nil) throws {
        for (index, row) in rows.enumerated() where row.count != columnNames.count {
            throw TableError.raggedRow(row: index, count: row.count, expected: columnNames.count)
        }
        var columns = [[Double]](repeating: [], count: columnNames.count)
        for j in columns.indices {
            columns[j].reserveCapacity(rows.count)
            for row in rows { columns[j].append(row[j]) }
        }
        try self.init(validatedNames: columnNames, columns: columns, rowCount: rows.count,
                      labelName: labelName, labels: labels)
    }

    private init(validatedNames names: [String], columns: [[Double]], rowCount: Int,
                 labelName: String?, labels: [Int]?) throws {
        var seen = Set<String>()
        for name in names where !seen.insert(name).inserted {
            throw TableError.duplicateColumn(name)
        }
        if let labels {
            let name = labelName ?? "target"
            if seen.contains(name) { throw TableError.duplicateColumn(name) }
            if labels.count != rowCount {
                throw TableError.labelCountMismatch(labels: labels.count, rows: rowCount)
            }
            self.labelName = name
        } else {
            if let labelName { throw TableError.labelNameWithoutLabels(labelName) }
            self.labelName = nil
        }
        self.columnNames = names
        self.columns = columns
        self.labels = labels
        self.rowCount = rowCount
    }

    /// Builds without checks; callers guarantee the invariants.
    private init(unchecked names: [String], columns: [[Double]], rowCount: Int, labelName: String?, labels: [Int]?) {
        self.columnNames = names
        self.columns = columns
        self.rowCount = rowCount
        self.labelName = labelName
        self.labels = labels
    }

    /// The number of feature columns (the label column is not counted).
    public var featureCount: Int { columnNames.count }

    /// The (rows, feature columns) pair, like pandas' `shape` without the label column.
    public var shape: (rows: Int, columns: Int) { (rowCount, featureCount) }

    /// A feature column by name, or `nil` if there is none.
    public subscript(column name: String) -> [Double]? {
        columnNames.firstIndex(of: name).map { columns[$0] }
    }

    /// A feature column by name; throws `TableError.unknownColumn` if there is none.
    public func column(_ name: String) throws -> [Double] {
        guard let values = self[column: name] else {
            throw TableError.unknownColumn(name, available: columnNames)
        }
        return values
    }

    /// The features row-major (`rows[i][j]`): the `X` that `fit` and `predict` take.
    /// Built on each access (the table stores columns), so keep it in a variable inside loops.
    public var rows: [[Double]] {
        (0..<rowCount).map { i in columns.map { $0[i] } }
    }

    /// One row's features; throws if `index` is outside `0..<rowCount`.
    public func row(_ index: Int) throws -> [Double] {
        guard index >= 0, index < rowCount else {
            throw TableError.rowIndexOutOfRange(index: index, rowCount: rowCount)
        }
        return columns.map { $0[index] }
    }

    /// The rows at `indices`, in that order (repeats allowed), like pandas' `iloc[indices]`.
    public func rows(at indices: [Int]) throws -> Table {
        for index in indices where index < 0 || index >= rowCount {
            throw TableError.rowIndexOutOfRange(index: index, rowCount: rowCount)
        }
        return Table(unchecked: columnNames, columns: columns.map { column in indices.map { column[$0] } },
                     rowCount: indices.count, labelName: labelName, labels: labels.map { l in indices.map { l[$0] } })
    }

    /// The rows in `range` (clamped to the table), like `iloc[a:b]`.
    public func rows(in range: Range<Int>) -> Table {
        let lower = min(max(range.lowerBound, 0), rowCount), upper = min(max(range.upperBound, lower), rowCount)
        return Table(unchecked: columnNames, columns: columns.map { Array($0[lower..<upper]) },
                     rowCount: upper - lower, labelName: labelName, labels: labels.map { Array($0[lower..<upper]) })
    }

    /// The first `n` rows (all of them if there are fewer), like pandas' `head(n)`.
    public func head(_ n: Int = 5) -> Table {
        rows(in: 0..<max(n, 0))
    }

    /// The last `n` rows, like pandas' `tail(n)`.
    public func tail(_ n: Int = 5) -> Table {
        rows(in: max(rowCount - max(n, 0), 0)..<rowCount)
    }

    /// A table with only the named feature columns, in the order given (labels kept), like `df[[...]]`.
    public func selecting(columns names: [String]) throws -> Table {
        let picked = try names.map { try column($0) }
        return try Table(validatedNames: names, columns: picked, rowCount: rowCount,
                         labelName: labelName, labels: labels)
    }

    /// A table without the named feature columns, like `df.drop(columns=[...])`.
    public func dropping(columns names: [String]) throws -> Table {
        for name in names where !columnNames.contains(name) {
            throw TableError.unknownColumn(name, available: columnNames)
        }
        return try selecting(columns: columnNames.filter { !names.contains($0) })
    }

    /// The same features with new labels (replacing any), e.g. to attach predictions or corrections.
    public func withLabels(_ labels: [Int], name: String? = nil) throws -> Table {
        try Table(validatedNames: columnNames, columns: columns, rowCount: rowCount,
                  labelName: name ?? labelName ?? "target", labels: labels)
    }

    /// The same features without labels.
    public func withoutLabels() -> Table {
        Table(unchecked: columnNames, columns: columns, rowCount: rowCount, labelName: nil, labels: nil)
    }

    /// This table's rows followed by `other`'s, like `pd.concat([a, b], ignore_index=True)`.
    /// Both must have the same column names in the same order and the same label column (or none).
    public func appending(_ other: Table) throws -> Table {
        guard columnNames == other.columnNames else {
            throw TableError.incompatibleTables(
                "Cannot append a table with columns \(other.columnNames) to one with columns \(columnNames).")
        }
        guard labelName == other.labelName else {
            throw TableError.incompatibleTables(
                "Cannot append a table with label column \(other.labelName.map { "'\($0)'" } ?? "none") "
                    + "to one with label column \(labelName.map { "'\($0)'" } ?? "none").")
        }
        let labels: [Int]? = self.labels.flatMap { a in other.labels.map { a + $0 } }
        return Table(unchecked: columnNames, columns: zip(columns, other.columns).map { $0 + $1 },
                     rowCount: rowCount + other.rowCount, labelName: labelName, labels: labels)
    }

    /// Each distinct label with its number of rows, sorted by label (pandas' `value_counts().sort_index()`).
    /// Empty when the table has no labels.
    public func labelCounts() -> [(label: Int, count: Int)] {
        guard let labels else { return [] }
        var counts: [Int: Int] = [:]
        for label in labels { counts[label, default: 0] += 1 }
        return counts.keys.sorted().map { (label: $0, count: counts[$0] ?? 0) }
    }
}
