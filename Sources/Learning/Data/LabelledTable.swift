extension Dataset {
    /// The rows and labels of a table that has a label column, as a `Dataset`, whose labels are not
    /// optional: `x` is `table.rows` (n × d, in `columnNames` order) and `y` the n labels. Replaces
    /// `Dataset(featureNames: t.columnNames, features: t.rows, labels: t.labels ?? [])`, which silently
    /// gave no labels for a table without a label column. Throws `LearningError.invalidParameter` when
    /// the table has no labels.
    public init(_ table: Table) throws {
        guard let labels = table.labels else {
            throw LearningError.invalidParameter(
                "The table has no label column, so it cannot become a labelled Dataset; read it with Table.readCSV(path, labelColumn: \"<name>\") or add labels with withLabels(_:).")
        }
        self.init(featureNames: table.columnNames, features: table.rows, labels: labels)
    }

    /// Reads a CSV file whose column `labelColumn` holds integer labels (default `"target"`) straight
    /// into a `Dataset` (`Table.readCSV` then `Dataset(_:)`). Throws as `Table.readCSV`, and
    /// `LearningError.invalidParameter` when the file has no such column.
    public static func readCSV(_ path: String, labelColumn: String = "target") throws -> Dataset {
        try Dataset(Table.readCSV(path, labelColumn: labelColumn))
    }

    /// The data set as a `Table` (label column `labelName`), e.g. for `show` or `describe()`. Throws
    /// `TableError` when a feature is named `labelName` or the rows are ragged.
    public func table(labelName: String = "target") throws -> Table {
        try Table(columnNames: featureNames, rows: features, labelName: labelName, labels: labels)
    }
}

extension Table {
    /// This table as a `Dataset` with non-optional labels; see `Dataset.init(_:)`.
    public func labelled() throws -> Dataset {
        try Dataset(self)
    }
}
