import Foundation

/// Errors from reading or writing CSV. Each message names the file, and where it applies the line,
/// column and value, in a full sentence.
public enum CSVError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file could not be read (missing, unreadable, or not UTF-8 text).
    case unreadableFile(file: String, reason: String)
    /// The file could not be written.
    case unwritableFile(file: String, reason: String)
    /// The file has no header row (it is empty or holds only blank lines).
    case emptyFile(file: String)
    /// A header field is empty (typical of a file saved with pandas' index column).
    case emptyColumnName(file: String, line: Int, position: Int)
    /// A column name appears twice in the header.
    case duplicateColumn(file: String, line: Int, column: String)
    /// The label column asked for is not in the header.
    case missingLabelColumn(file: String, column: String, header: [String])
    /// A row has a different number of fields than the header.
    case raggedRow(file: String, line: Int, fields: Int, expected: Int)
    /// A feature cell does not hold a number.
    case notANumber(file: String, line: Int, column: String, value: String)
    /// A label cell does not hold an integer.
    case notAnInteger(file: String, line: Int, column: String, value: String)
    /// A quoted field is never closed.
    case unterminatedQuote(file: String, line: Int)

    public var description: String {
        switch self {
        case let .unreadableFile(file, reason):
            "\(file) could not be read: \(reason)."
        case let .unwritableFile(file, reason):
            "\(file) could not be written: \(reason)."
        case let .emptyFile(file):
            "\(file) is empty; a CSV file needs a header row with the column names."
        case let .emptyColumnName(file, line, position):
            "\(file):\(line): column \(position) of the header has no name; every column needs one "
                + "(a file saved by pandas with its index has an unnamed first column: save with index=False)."
        case let .duplicateColumn(file, line, column):
            "\(file):\(line): the column name '\(column)' appears more than once in the header."
        case let .missingLabelColumn(file, column, header):
            "\(file): the header has no label column '\(column)' (its columns are "
                + header.map { "'\($0)'" }.joined(separator: ", ")
                + "); pass labelColumn: nil to read the file without labels."
        case let .raggedRow(file, line, fields, expected):
            "\(file):\(line): row has \(fields) field\(fields == 1 ? "" : "s") but the header has \(expected)."
        case let .notANumber(file, line, column, value):
            "\(file):\(line): column '\(column)' has '\(value)', which is not a number."
        case let .notAnInteger(file, line, column, value):
            "\(file):\(line): column '\(column)' has '\(value)', which is not an integer label."
        case let .unterminatedQuote(file, line):
            "\(file):\(line): a quoted field that starts on this line is never closed."
        }
    }
}

extension Table {
    /// Reads a CSV file with a header row, like `pd.read_csv(path)`.
    ///
    /// Every column except `labelColumn` must hold numbers; they become the feature columns in file order.
    /// The label column (by default `"target"`; `nil` for none) must hold integers (`3` or `3.0`).
    /// Empty cells and `nan`/`NaN`/`NA` in feature columns read as NaN (missing), as pandas reads them;
    /// `inf` and `-inf` are numbers. Blank lines are skipped; quoted fields follow RFC 4180; `\n` and
    /// `\r\n` both end rows. A header with no rows gives a table with no rows (not an error).
    ///
    /// Throws `CSVError` naming the file (as given), the line, the column and the value.
    public static func readCSV(_ path: String, labelColumn: String? = "target") throws -> Table {
        guard FileManager.default.fileExists(atPath: path) else {
            throw CSVError.unreadableFile(file: path, reason: "there is no such file")
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw CSVError.unreadableFile(file: path, reason: "\(error.localizedDescription)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw CSVError.unreadableFile(file: path, reason: "it is not UTF-8 text")
        }
        return try readCSV(contents: text, name: path, labelColumn: labelColumn)
    }

    /// Reads CSV text (the same rules as `readCSV(_:labelColumn:)`); `name` is used in error messages.
    public static func readCSV(contents: String, name: String = "<csv>", labelColumn: String? = "target") throws -> Table {
        var records = try CSVParser.records(Array(contents.utf8), file: name)
        guard !records.isEmpty else { throw CSVError.emptyFile(file: name) }
        let header = records.removeFirst()
        var seen = Set<String>()
        for (position, column) in header.fields.enumerated() {
            if column.isEmpty {
                throw CSVError.emptyColumnName(file: name, line: header.line, position: position + 1)
            }
            if !seen.insert(column).inserted {
                throw CSVError.duplicateColumn(file: name, line: header.line, column: column)
            }
        }
        var labelIndex: Int?
        if let labelColumn {
            guard let index = header.fields.firstIndex(of: labelColumn) else {
                throw CSVError.missingLabelColumn(file: name, column: labelColumn, header: header.fields)
            }
            labelIndex = index
        }
        let featureIndices = header.fields.indices.filter { $0 != labelIndex }
        var columns = [[Double]](repeating: [], count: featureIndices.count)
        for j in columns.indices { columns[j].reserveCapacity(records.count) }
        var labels: [Int] = []
        labels.reserveCapacity(records.count)
        for record in records {
            guard record.fields.count == header.fields.count else {
                throw CSVError.raggedRow(file: name, line: record.line, fields: record.fields.count,
                                         expected: header.fields.count)
            }
            for (j, index) in featureIndices.enumerated() {
                let cell = record.fields[index]
                guard let value = parseNumber(cell) else {
                    throw CSVError.notANumber(file: name, line: record.line, column: header.fields[index], value: cell)
                }
                columns[j].append(value)
            }
            if let labelIndex {
                let cell = record.fields[labelIndex]
                guard let label = parseLabel(cell) else {
                    throw CSVError.notAnInteger(file: name, line: record.line, column: header.fields[labelIndex],
                                                value: cell)
                }
                labels.append(label)
            }
        }
        let named = featureIndices.enumerated().map { (name: header.fields[$0.element], values: columns[$0.offset]) }
        return try Table(columns: named, labelName: labelColumn, labels: labelColumn == nil ? nil : labels)
    }

    /// The table as CSV text, byte for byte as pandas' `df.to_csv(index=False)` writes it: a header row,
    /// `\n` line ends, features as Python's `repr` (`1.0`, `1e-05`), NaN as an empty cell, labels as
    /// integers in the last column, names quoted only when they hold a comma, quote or line break.
    public func csvString() -> String {
        var header = columnNames
        if let labelName { header.append(labelName) }
        var output = CSVParser.line(header)
        for i in 0..<rowCount {
            var fields = columns.map { $0[i].isNaN ? "" : pythonRepr($0[i]) }
            if let labels { fields.append(String(labels[i])) }
            output += CSVParser.line(fields)
        }
        return output
    }

    /// Writes `csvString()` to `path` (atomically, replacing any file there).
    public func writeCSV(to path: String) throws {
        do {
            try Data(csvString().utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw CSVError.unwritableFile(file: path, reason: "\(error.localizedDescription)")
        }
    }

    private static let missingValues: Set<Substring> = ["", "nan", "NaN", "NAN", "-nan", "NA", "N/A", "n/a", "null", "NULL"]
    private static let infinities: Set<Substring> = ["inf", "-inf", "+inf", "Inf", "-Inf", "+Inf", "infinity",
                                                     "-infinity", "+infinity", "Infinity", "-Infinity", "+Infinity"]

    /// The cell without surrounding spaces and tabs.
    private static func trimmed(_ cell: String) -> Substring {
        let bytes = cell.utf8
        var start = bytes.startIndex, end = bytes.endIndex
        while start < end, bytes[start] == 32 || bytes[start] == 9 { start = bytes.index(after: start) }
        while end > start {
            let last = bytes[bytes.index(before: end)]
            guard last == 32 || last == 9 else { break }
            end = bytes.index(before: end)
        }
        return Substring(bytes[start..<end])
    }

    /// Whether text starts like a decimal number (a digit, sign or point) and holds no hexadecimal marker.
    private static func looksDecimal(_ text: Substring) -> Bool {
        guard let first = text.utf8.first,
              (48...57).contains(first) || first == 45 || first == 43 || first == 46 else { return false }
        return !text.utf8.contains(where: { $0 == 120 || $0 == 88 })  // "x", "X"
    }

    private static func parseNumber(_ cell: String) -> Double? {
        let text = trimmed(cell)
        if looksDecimal(text) { return Double(text) }
        if missingValues.contains(text) { return .nan }
        if infinities.contains(text) { return Double(text) }
        return nil
    }

    private static func parseLabel(_ cell: String) -> Int? {
        let text = trimmed(cell)
        if let value = Int(text) { return value }
        guard looksDecimal(text), let value = Double(text), value.isFinite, value == value.rounded(),
              abs(value) < 9_007_199_254_740_992 else { return nil }
        return Int(value)
    }
}

/// RFC 4180 reading and writing on UTF-8 bytes.
enum CSVParser {
    struct Record {
        /// The 1-based line on which the record starts.
        let line: Int
        let fields: [String]
    }

    private static let comma = UInt8(ascii: ","), quote = UInt8(ascii: "\"")
    private static let newline = UInt8(ascii: "\n"), carriageReturn = UInt8(ascii: "\r")

    /// Splits text into records, skipping blank lines and a leading byte-order mark.
    static func records(_ bytes: [UInt8], file: String) throws -> [Record] {
        var records: [Record] = []
        var i = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var line = 1
        let n = bytes.count
        while i < n {
            let recordLine = line
            var fields: [String] = []
            var field: [UInt8] = []
            var endOfRecord = false
            var sawQuote = false
            while !endOfRecord {
                field.removeAll(keepingCapacity: true)
                if i < n, bytes[i] == quote {
                    let quoteLine = line
                    sawQuote = true
                    i += 1
                    var closed = false
                    while i < n {
                        let c = bytes[i]
                        if c == quote {
                            if i + 1 < n, bytes[i + 1] == quote {
                                field.append(quote)
                                i += 2
                                continue
                            }
                            i += 1
                            closed = true
                            break
                        }
                        if c == newline { line += 1 }
                        field.append(c)
                        i += 1
                    }
                    if !closed { throw CSVError.unterminatedQuote(file: file, line: quoteLine) }
                }
                // Unquoted text (or text after a closing quote, kept as Python's csv module keeps it).
                while i < n, bytes[i] != comma, bytes[i] != newline, bytes[i] != carriageReturn {
                    field.append(bytes[i])
                    i += 1
                }
                fields.append(String(decoding: field, as: UTF8.self))
                if i >= n {
                    endOfRecord = true
                } else if bytes[i] == comma {
                    i += 1
                    if i >= n { fields.append(""); endOfRecord = true }
                } else {
                    if bytes[i] == carriageReturn, i + 1 < n, bytes[i + 1] == newline { i += 1 }
                    i += 1
                    line += 1
                    endOfRecord = true
                }
            }
            if fields.count == 1, fields[0].isEmpty, !sawQuote { continue }  // a blank line
            records.append(Record(line: recordLine, fields: fields))
        }
        return records
    }

    /// One CSV line (with its `\n`), quoting as Python's `csv.QUOTE_MINIMAL` does.
    static func line(_ fields: [String]) -> String {
        if fields.count == 1, fields[0].isEmpty { return "\"\"\n" }
        return fields.map(quoted).joined(separator: ",") + "\n"
    }

    private static func quoted(_ field: String) -> String {
        guard field.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else {
            return field
        }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
