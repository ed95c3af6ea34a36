/// Errors from building or indexing a `Table`. Each message is a full sentence with the values involved.
public enum TableError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A column's length differs from the first column's.
    case raggedColumns(column: String, count: Int, expectedColumn: String, expected: Int)
    /// A row given row-major has a different number of values than there are column names.
    case raggedRow(row: Int, count: Int, expected: Int)
    /// The labels and the rows disagree in count.
    case labelCountMismatch(labels: Int, rows: Int)
    /// A column name appears twice (the label column counts too).
    case duplicateColumn(String)
    /// A column name was asked for that the table does not have.
    case unknownColumn(String, available: [String])
    /// A row index is outside `0..<rowCount`.
    case rowIndexOutOfRange(index: Int, rowCount: Int)
    /// A label column name was given without labels.
    case labelNameWithoutLabels(String)
    /// Two tables cannot be stacked because their columns or label columns differ.
    case incompatibleTables(String)

    public var description: String {
        switch self {
        case let .raggedColumns(column, count, expectedColumn, expected):
            "Column '\(column)' has \(count) values, but column '\(expectedColumn)' has \(expected); "
                + "all columns must have the same length."
        case let .raggedRow(row, count, expected):
            "Row \(row) has \(count) values, but there are \(expected) column names."
        case let .labelCountMismatch(labels, rows):
            "Number of labels (\(labels)) does not match number of rows (\(rows))."
        case let .duplicateColumn(name):
            "The column name '\(name)' appears more than once; column names must be unique."
        case let .unknownColumn(name, available):
            "There is no column named '\(name)'; the table has "
                + (available.isEmpty ? "no columns." : available.map { "'\($0)'" }.joined(separator: ", ") + ".")
        case let .rowIndexOutOfRange(index, rowCount):
            "Row index \(index) is out of range for a table with \(rowCount) rows (valid: 0 to \(rowCount - 1))."
        case let .labelNameWithoutLabels(name):
            "A label column name ('\(name)') was given without any labels."
        case let .incompatibleTables(message):
            message
        }
    }
}
