import BookModel
import Foundation

/// Deterministic number formatting: fixed digits, `.` as the decimal point, no locale, no grouping.
public enum Format {
    /// `value` with exactly `digits` digits after the point, e.g. `fixed(0.8154, digits: 3)` is "0.815".
    ///
    /// Not-a-number is "nan", infinities are "inf" and "-inf", and negative zero prints as "0.000"
    /// (`NumberFormat.fixed`, the formatter the site uses too).
    public static func fixed(_ value: Double, digits: Int) -> String {
        NumberFormat.fixed(value, digits: digits)
    }

    /// Up to `maxDigits` decimals without trailing zeros, e.g. 5.1 → "5.1", 1/3 → "0.3333", 3.0 → "3".
    public static func compact(_ value: Double, maxDigits: Int = 4) -> String {
        NumberFormat.trimmed(value, maxDigits: maxDigits)
    }

    /// A table cell for any value: integers as they are, floating point with `digits` fixed digits,
    /// `nil` as an empty cell, everything else by its description.
    public static func cell(_ value: Any, digits: Int = 3) -> (text: String, numeric: Bool) {
        if let optional = value as? OptionalProtocol {
            guard let wrapped = optional.wrappedValue else { return ("", false) }
            return cell(wrapped, digits: digits)
        }
        switch value {
        case let number as Double: return (fixed(number, digits: digits), true)
        case let number as Float: return (fixed(Double(number), digits: digits), true)
        case let number as any BinaryInteger: return ("\(number)", true)
        case let flag as Bool: return (flag ? "true" : "false", false)
        case let text as String: return (text, false)
        default: return (String(describing: value), false)
        }
    }
}

/// Lets `Format.cell` look inside an optional held as `Any`.
protocol OptionalProtocol {
    var wrappedValue: Any? { get }
}

extension Optional: OptionalProtocol {
    var wrappedValue: Any? {
        switch self {
        case let .some(value): value
        case .none: nil
        }
    }
}

/// A plain-text rendering of records, used when a chapter program runs outside the notebook engine.
enum PlainText {
    static func render(_ record: Record) -> String {
        switch record {
        case let .table(table):
            var lines: [String] = []
            if let title = table.title { lines.append(title) }
            let all = [table.columns] + table.rows
            let widths = table.columns.indices.map { column in
                all.map { $0.indices.contains(column) ? $0[column].count : 0 }.max() ?? 0
            }
            for row in all {
                let cells = row.indices.map { column -> String in
                    let width = column < widths.count ? widths[column] : 0
                    let padding = String(repeating: " ", count: max(0, width - row[column].count))
                    let numeric = column < table.numeric.count && table.numeric[column]
                    return numeric ? padding + row[column] : row[column] + padding
                }
                lines.append(cells.joined(separator: "  "))
            }
            if let total = table.totalRows { lines.append("(\(table.rows.count) of \(total) rows)") }
            return lines.joined(separator: "\n")
        case let .chart(chart):
            return "[chart: \(chart.title)]"
        case let .metric(metric):
            return "\(metric.name): \(metric.text)"
        case let .value(key, text):
            return "\(key) = \(text)"
        case let .file(file):
            return "[file: \(file.path)]"
        }
    }
}
