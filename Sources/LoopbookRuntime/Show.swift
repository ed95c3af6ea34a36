import BookModel
/// Shows a table made of a header and rows of already formatted cells.
///
/// A column is numeric (right-aligned) when every non-empty cell in it parses as a number.
public func show(_ rows: [[String]], header: [String], title: String? = nil) {
    let numeric = header.indices.map { column in
        let cells = rows.compactMap { column < $0.count ? $0[column] : nil }.filter { !$0.isEmpty }
        return !cells.isEmpty && cells.allSatisfy { Double($0) != nil }
    }
    emit(.table(TableSpec(title: title, columns: header, numeric: numeric, rows: rows)))
}

/// Shows an array of records as a table: property names become columns, numbers are right-aligned.
///
/// Floating-point values get `digits` fixed digits; at most `rows` rows are shown (the table notes how
/// many there were). Scalars (numbers, strings) are shown as a one-column table named `value`.
public func show<T>(_ items: [T], rows limit: Int = 20, title: String? = nil, digits: Int = 3) {
    var columns: [String] = []
    var numeric: [Bool] = []
    var cells: [[String]] = []
    for item in items.prefix(max(0, limit)) {
        let children = Array(Mirror(reflecting: item).children)
        if children.isEmpty || children.allSatisfy({ $0.label == nil }) {
            if columns.isEmpty { columns = ["value"]; numeric = [true] }
            let cell = Format.cell(item, digits: digits)
            numeric[0] = numeric[0] && cell.numeric
            cells.append([cell.text])
            continue
        }
        if columns.isEmpty {
            columns = children.enumerated().map { $0.element.label ?? "\($0.offset)" }
            numeric = Array(repeating: true, count: columns.count)
        }
        var row: [String] = []
        for (column, child) in children.prefix(columns.count).enumerated() {
            let cell = Format.cell(child.value, digits: digits)
            if !cell.text.isEmpty { numeric[column] = numeric[column] && cell.numeric }
            row.append(cell.text)
        }
        cells.append(row)
    }
    if cells.isEmpty { numeric = numeric.map { _ in false } }
    let total = items.count > cells.count ? items.count : nil
    emit(.table(TableSpec(title: title, columns: columns, numeric: numeric, rows: cells, totalRows: total)))
}

/// Shows a table spec as it is.
public func show(_ table: TableSpec) {
    emit(.table(table))
}

/// Shows a chart; build one with `Chart.line`, `Chart.bar`, `Chart.histogram`, `Chart.scatter`, ...
public func show(_ chart: ChartSpec) {
    emit(.chart(chart))
}

/// Shows a named figure, e.g. `metric("Accuracy", 0.8154)` shows "Accuracy 0.815".
public func metric(_ name: String, _ value: Double, digits: Int = 3, detail: String? = nil) {
    emit(.metric(MetricSpec(name: name, text: Format.fixed(value, digits: digits), detail: detail)))
}

/// Shows a named figure that is a count, e.g. `metric("Mistakes", 37)`.
public func metric(_ name: String, _ value: Int, detail: String? = nil) {
    emit(.metric(MetricSpec(name: name, text: "\(value)", detail: detail)))
}

/// Shows a named figure given as text, e.g. `metric("Best model", "forest")`.
public func metric(_ name: String, _ text: String, detail: String? = nil) {
    emit(.metric(MetricSpec(name: name, text: text, detail: detail)))
}

/// Publishes a value for prose: `{{ key }}` in the chapter's Markdown becomes `value`.
public func publish(_ key: String, _ value: String) {
    emit(.value(key: key, text: value))
}

/// Publishes an integer for prose (`{{ key }}`), e.g. "120".
public func publish(_ key: String, _ value: Int) {
    emit(.value(key: key, text: "\(value)"))
}

/// Publishes a number for prose with `digits` fixed digits (default 3), e.g. "0.815".
public func publish(_ key: String, _ value: Double, digits: Int = 3) {
    emit(.value(key: key, text: Format.fixed(value, digits: digits)))
}

/// Publishes a number for prose in a format, e.g. `publish("accuracy", 0.9981, format: .percent(digits: 1))`
/// gives "99.8%" (see `ValueFormat`: `.fixed(3)`, `.percent(digits:)`, `.significant(2)`, `.grouped`,
/// `.integer(grouped:)`).
public func publish(_ key: String, _ value: Double, format: ValueFormat) {
    emit(.value(key: key, text: format.string(value)))
}

/// Publishes an integer for prose in a format, e.g. `publish("rows", 1234567, format: .grouped)` gives
/// "1,234,567".
public func publish(_ key: String, _ value: Int, format: ValueFormat) {
    emit(.value(key: key, text: format.string(value)))
}

/// Publishes a truth value for prose as "true" or "false".
public func publish(_ key: String, _ value: Bool) {
    emit(.value(key: key, text: value ? "true" : "false"))
}

/// Offers a file the chapter wrote (relative to its working directory) for download, with a description.
///
/// Files written into the working directory become artifacts anyway; this adds a record of it at this
/// point of the output, so the page can link the file where it was made.
public func offer(_ path: String, description: String? = nil) {
    emit(.file(FileSpec(path: path, description: description)))
}
