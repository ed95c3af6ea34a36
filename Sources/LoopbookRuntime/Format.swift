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
        case let .check(check):
            return (check.passed ? "✓ " : "✗ ") + check.message
        }
    }
}

/// How `publish` writes a number for prose: always the same text on every machine (no locale; `.` as
/// the decimal point, `,` between thousands). Not-a-number is "nan", infinities are "inf" and "-inf" (in
/// every format, without a `%`), and no format prints a negative zero.
///
/// ```swift
/// publish("accuracy", 0.9981, format: .percent(digits: 1))   // 99.8%
/// publish("loss", 0.123456, format: .fixed(3))                // 0.123
/// publish("rate", 0.0012345, format: .significant(2))         // 0.0012
/// publish("rows", 1234567.891, format: .grouped)              // 1,234,568
/// publish("total", 1234567.891, format: .fixed(2, grouped: true))  // 1,234,567.89
/// ```
public struct ValueFormat: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        case fixed(digits: Int, grouped: Bool)
        case percent(digits: Int, grouped: Bool)
        case significant(digits: Int, grouped: Bool)
    }
    let kind: Kind

    /// Exactly `digits` digits after the point (0…17), rounded from the exact binary value (as C's printf:
    /// an exact tie such as 0.125 goes to the even
    /// digit, "0.12" at `.fixed(2)`): `.fixed(3)` writes 0.8154 as "0.815".
    public static func fixed(_ digits: Int, grouped: Bool = false) -> ValueFormat {
        ValueFormat(kind: .fixed(digits: digits, grouped: grouped))
    }

    /// A percentage with `digits` digits after the point (0…15): `.percent(digits: 1)` writes 0.9981 as
    /// "99.8%" and 0.9995 as "100.0%".
    public static func percent(digits: Int = 0, grouped: Bool = false) -> ValueFormat {
        ValueFormat(kind: .percent(digits: digits, grouped: grouped))
    }

    /// `digits` significant digits (1…15): `.significant(2)` writes 0.012345 as "0.012", 12345 as "12000"
    /// and 0.5 as "0.50"; below 1e-6 or from 1e15 up in scientific notation ("1.2e-07").
    public static func significant(_ digits: Int, grouped: Bool = false) -> ValueFormat {
        ValueFormat(kind: .significant(digits: digits, grouped: grouped))
    }

    /// A whole number, rounded: `.integer()` writes 41.5 as "42"; `.integer(grouped: true)` writes
    /// 1234567.891 as "1,234,568".
    public static func integer(grouped: Bool = false) -> ValueFormat { fixed(0, grouped: grouped) }

    /// A whole number with thousands separated by commas: 1234567.891 is "1,234,568".
    public static let grouped = integer(grouped: true)

    /// `value` in this format.
    public func string(_ value: Double) -> String {
        switch kind {
        case let .fixed(digits, grouped):
            let text = NumberFormat.fixed(value, digits: digits)
            return grouped ? NumberFormat.group(text) : text
        case let .percent(digits, grouped): return NumberFormat.percent(value, digits: digits, grouped: grouped)
        case let .significant(digits, grouped): return NumberFormat.significant(value, digits: digits, grouped: grouped)
        }
    }

    /// `value` in this format; whole numbers keep every digit (`.grouped` writes Int.max exactly).
    public func string(_ value: Int) -> String {
        if case let .fixed(digits, grouped) = kind {
            let text = "\(value)" + (digits > 0 ? "." + String(repeating: "0", count: min(digits, 17)) : "")
            return grouped ? NumberFormat.group(text) : text
        }
        return string(Double(value))
    }
}
