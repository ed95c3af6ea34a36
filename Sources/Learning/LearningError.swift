/// Errors from the model library. Each message is a full sentence with the numbers involved.
public enum LearningError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A parameter is out of range or inconsistent; the message says which and why.
    case invalidParameter(String)
    /// Labels and samples disagree in count.
    case labelCountMismatch(labels: Int, samples: Int)
    /// There is no data to work with.
    case emptyData(String)
    /// A model was used before it was fitted.
    case notFitted(String)
    /// Rows have a different number of features than the model was fitted on.
    case featureCountMismatch(expected: Int, got: Int)
    /// A row has a different length from the first row.
    case raggedRows(row: Int, count: Int, expected: Int)
    /// A feature value is NaN, infinite, or beyond float32's range (±3.4e38); trees work on float32
    /// values, as scikit-learn's do.
    case nonFiniteValue(row: Int, column: Int, value: Double)

    public var description: String {
        switch self {
        case let .invalidParameter(message): message
        case let .labelCountMismatch(labels, samples):
            "Number of labels (\(labels)) does not match number of samples (\(samples))."
        case let .emptyData(message): message
        case let .notFitted(message): message
        case let .featureCountMismatch(expected, got):
            "The model was fitted on \(expected) features, but the rows given have \(got)."
        case let .raggedRows(row, count, expected):
            "Row \(row) has \(count) values, but row 0 has \(expected); every row needs the same number of features."
        case let .nonFiniteValue(row, column, value):
            value.isFinite
                ? "Row \(row), column \(column) holds \(value), beyond float32's range (±3.4e38); the trees work on float32 values, as scikit-learn's do."
                : "Row \(row), column \(column) holds \(value); the models need finite numbers (no NaN or infinity)."
        }
    }
}
