import BookModel
/// `show` and chart builders for the `Learning` types chapters use.

/// Shows the first `rows` rows of a table (features, then the label column if it has labels).
///
/// Numbers are printed with up to 4 decimals (trailing zeros dropped), or exactly `digits` decimals if given.
public func show(_ table: Table, rows limit: Int = 5, title: String? = nil, digits: Int? = nil) {
    let count = min(max(0, limit), table.rowCount)
    var columns = table.columnNames
    if table.labels != nil { columns.append(table.labelName ?? "label") }
    var cells: [[String]] = []
    for row in 0..<count {
        var line = table.columns.map { column in
            digits.map { Format.fixed(column[row], digits: $0) } ?? Format.compact(column[row])
        }
        if let labels = table.labels { line.append(String(labels[row])) }
        cells.append(line)
    }
    emit(.table(TableSpec(title: title, columns: columns, numeric: Array(repeating: true, count: columns.count), rows: cells,
                          totalRows: table.rowCount > count ? table.rowCount : nil)))
}

/// Shows a confusion matrix as a table: one row per true class, one column per predicted class.
public func show(_ matrix: ConfusionMatrix, title: String? = "Confusion matrix", classNames: [String]? = nil) {
    let names = matrix.labels.enumerated().map { index, label in
        classNames.flatMap { index < $0.count ? $0[index] : nil } ?? String(label)
    }
    let rows = zip(names, matrix.counts).map { name, counts in [name] + counts.map(String.init) }
    emit(.table(TableSpec(title: title, columns: ["true \\ predicted"] + names,
                          numeric: [false] + Array(repeating: true, count: names.count), rows: rows)))
}

/// Shows a classification report as a table (precision, recall, F1, support; then accuracy and averages).
public func show(_ report: ClassificationReport, title: String? = "Classification report") {
    func cells(_ row: ClassificationReport.Row) -> [String] {
        [row.name, Format.fixed(row.precision, digits: report.digits), Format.fixed(row.recall, digits: report.digits),
         Format.fixed(row.f1, digits: report.digits), String(row.support)]
    }
    var rows = report.rows.map(cells)
    if let accuracy = report.accuracy {
        rows.append(["accuracy", "", "", Format.fixed(accuracy, digits: report.digits), String(report.macroAverage.support)])
    } else if let micro = report.microAverage {
        rows.append(cells(micro))
    }
    rows.append(cells(report.macroAverage))
    rows.append(cells(report.weightedAverage))
    emit(.table(TableSpec(title: title, columns: ["class", "precision", "recall", "f1-score", "support"],
                          numeric: [false, true, true, true, true], rows: rows)))
}

extension Chart {
    /// A heatmap of a confusion matrix (rows = true class, columns = predicted class).
    public static func heatmap(_ matrix: ConfusionMatrix, title: String = "Confusion matrix",
                               classNames: [String]? = nil, summary: String? = nil) -> ChartSpec {
        let names = matrix.labels.enumerated().map { index, label in
            classNames.flatMap { index < $0.count ? $0[index] : nil } ?? String(label)
        }
        return heatmap(title: title, rowLabels: names, columnLabels: names,
                       values: matrix.counts.map { $0.map(Double.init) },
                       xLabel: "predicted", yLabel: "true", summary: summary)
    }

    /// A tree diagram of the top `depth` levels of a fitted decision tree (deeper branches are cut off).
    ///
    /// A split reads "petal length ≤ 2.45" (feature names default to "x[i]"), a leaf "class 1"; the detail
    /// line gives the impurity and the number of samples, e.g. "gini 0.480 · n 80".
    public static func tree(_ tree: DecisionTree, depth: Int = 3, featureNames: [String]? = nil, classNames: [String]? = nil,
                            title: String = "Decision tree", summary: String? = nil) -> ChartSpec {
        var nodes: [TreeNode] = []
        func className(_ label: Int) -> String {
            guard let classNames, let index = tree.classes.firstIndex(of: label), index < classNames.count else { return "class \(label)" }
            return classNames[index]
        }
        func add(_ index: Int, level: Int) -> Int {
            let node = tree.nodes[index]
            let position = nodes.count
            let detail = "\(tree.criterion.rawValue) \(Format.fixed(node.impurity, digits: 3)) · n \(node.sampleCount)"
            if node.isLeaf {
                nodes.append(TreeNode(label: className(tree.predictedClass(ofNode: index)), detail: detail))
                return position
            }
            let feature = featureNames.flatMap { node.feature < $0.count ? $0[node.feature] : nil } ?? "x[\(node.feature)]"
            nodes.append(TreeNode(label: "\(feature) ≤ \(Format.compact(node.threshold, maxDigits: 3))", detail: detail))
            if level < depth {
                let left = add(node.left, level: level + 1)
                let right = add(node.right, level: level + 1)
                nodes[position].children = [left, right]
            }
            return position
        }
        if !tree.nodes.isEmpty { _ = add(0, level: 0) }
        return ChartSpec(title: title, summary: summary, kind: .tree(nodes))
    }

    /// A tree diagram of a fitted `DecisionTreeClassifier` (empty when it is not fitted).
    public static func tree(_ classifier: DecisionTreeClassifier, depth: Int = 3, featureNames: [String]? = nil,
                            classNames: [String]? = nil, title: String = "Decision tree", summary: String? = nil) -> ChartSpec {
        guard let fitted = classifier.tree else { return ChartSpec(title: title, summary: summary, kind: .tree([])) }
        return tree(fitted, depth: depth, featureNames: featureNames, classNames: classNames, title: title, summary: summary)
    }
}

/// Shows a cross-validation result as a table: one row per fold (training rows, test rows, test score
/// and, when recorded, training score), then the mean and standard deviation.
public func show<Model>(_ result: CrossValidationResult<Model>, title: String? = "Cross-validation", digits: Int = 3) {
    let header = result.summaryHeader
    emit(.table(TableSpec(title: title, columns: header, numeric: [false] + Array(repeating: true, count: header.count - 1),
                          rows: result.summaryRows(digits: digits))))
}

/// Publishes a cross-validation result for prose, e.g. "0.953 ± 0.021 over 5 folds".
public func publish<Model>(_ key: String, _ result: CrossValidationResult<Model>, digits: Int = 3) {
    emit(.value(key: key, text: result.summary(digits: digits)))
}

/// Shows a paired comparison as a two-column table (mean difference, interval, t, df, p, pairs).
public func show(_ comparison: PairedComparison, title: String? = "Paired comparison", digits: Int = 3) {
    emit(.table(TableSpec(title: title, columns: ["quantity", "value"], numeric: [false, false],
                          rows: comparison.summaryRows(digits: digits))))
}

/// Publishes a paired comparison for prose, e.g. "a − b = 0.021 (95% CI 0.010 to 0.032; t = 4.27,
/// p = 0.008, 9 pairs)".
public func publish(_ key: String, _ comparison: PairedComparison, digits: Int = 3) {
    emit(.value(key: key, text: comparison.summary(digits: digits)))
}
