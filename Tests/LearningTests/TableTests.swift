import Foundation
import Testing
@testable import Learning

/// pandas' `describe()` and `value_counts()` for some fixtures, made by `make_fixtures.py`.
private struct DescribeFixture: Decodable {
    struct Column: Decodable {
        let column: String
        let count: Int
        /// mean, std, min, p25, p50, p75, max as 16-digit hex bit patterns.
        let stats: [String: String]
    }
    let sample_data: [Column]
    let iris: [Column]
    let awkward: [Column]
    let sample_data_label_counts: [[Int]]
    let iris_label_counts: [[Int]]
    let awkward_label_counts: [[Int]]
}

private func hex(_ value: Double) -> String {
    let text = String(value.bitPattern, radix: 16)
    return String(repeating: "0", count: 16 - text.count) + text
}

struct TableTests {
    private func small() throws -> Table {
        try Table(["a": [1, 2, 3, 4], "b": [10, 20, 30, 40]], labels: [0, 1, 1, 0])
    }

    @Test func buildsFromNamedColumns() throws {
        let table = try small()
        #expect(table.columnNames == ["a", "b"])
        #expect(table.labelName == "target")
        #expect(table.labels == [0, 1, 1, 0])
        #expect(table.rowCount == 4)
        #expect(table.featureCount == 2)
        #expect(table.shape == (rows: 4, columns: 2))
        #expect(table[column: "b"] == [10, 20, 30, 40])
        #expect(table[column: "target"] == nil)
        #expect(table.rows == [[1, 10], [2, 20], [3, 30], [4, 40]])
    }

    @Test func buildsFromRowsAndAgrees() throws {
        let table = try Table(columnNames: ["a", "b"], rows: [[1, 10], [2, 20], [3, 30], [4, 40]],
                              labels: [0, 1, 1, 0])
        #expect(table == (try small()))
        let unlabelled = try Table(columns: [(name: "x", values: [1, 2])])
        #expect(unlabelled.labels == nil)
        #expect(unlabelled.labelName == nil)
        #expect(unlabelled.labelCounts().isEmpty)
    }

    @Test func customLabelName() throws {
        let table = try Table(["x": [1, 2]], labelName: "y", labels: [5, 6])
        #expect(table.labelName == "y")
    }

    @Test func raggedColumnsAreRejected() {
        #expect(throws: TableError.raggedColumns(column: "b", count: 3, expectedColumn: "a", expected: 4)) {
            try Table(["a": [1, 2, 3, 4], "b": [1, 2, 3]])
        }
        let error = TableError.raggedColumns(column: "b", count: 3, expectedColumn: "a", expected: 4)
        #expect(error.description
            == "Column 'b' has 3 values, but column 'a' has 4; all columns must have the same length.")
        #expect(throws: TableError.raggedRow(row: 1, count: 1, expected: 2)) {
            try Table(columnNames: ["a", "b"], rows: [[1, 2], [3]])
        }
        #expect(TableError.raggedRow(row: 1, count: 1, expected: 2).description
            == "Row 1 has 1 values, but there are 2 column names.")
    }

    @Test func labelCountMismatchIsRejected() {
        let values = (0..<100).map(Double.init)
        #expect(throws: TableError.labelCountMismatch(labels: 99, rows: 100)) {
            try Table(["a": values], labels: Array(repeating: 0, count: 99))
        }
        #expect(TableError.labelCountMismatch(labels: 99, rows: 100).description
            == "Number of labels (99) does not match number of rows (100).")
    }

    @Test func duplicateAndStrayNamesAreRejected() {
        #expect(throws: TableError.duplicateColumn("a")) { try Table(["a": [1], "a": [2]]) }
        #expect(throws: TableError.duplicateColumn("a")) { try Table(["a": [1]], labelName: "a", labels: [0]) }
        #expect(throws: TableError.labelNameWithoutLabels("y")) { try Table(["a": [1]], labelName: "y") }
        #expect(TableError.duplicateColumn("a").description
            == "The column name 'a' appears more than once; column names must be unique.")
        #expect(TableError.labelNameWithoutLabels("y").description
            == "A label column name ('y') was given without any labels.")
    }

    @Test func unknownColumnNamesTheColumns() throws {
        let table = try small()
        #expect(throws: TableError.unknownColumn("c", available: ["a", "b"])) { try table.column("c") }
        #expect(TableError.unknownColumn("c", available: ["a", "b"]).description
            == "There is no column named 'c'; the table has 'a', 'b'.")
        #expect(try table.column("a") == [1, 2, 3, 4])
    }

    @Test func rowsAtIndicesIsILoc() throws {
        let table = try small()
        let picked = try table.rows(at: [3, 0, 3])
        #expect(picked.rows == [[4, 40], [1, 10], [4, 40]])
        #expect(picked.labels == [0, 0, 0])
        #expect(try table.row(2) == [3, 30])
        #expect(try table.rows(at: []).rowCount == 0)
        #expect(throws: TableError.rowIndexOutOfRange(index: 4, rowCount: 4)) { try table.rows(at: [0, 4]) }
        #expect(throws: TableError.rowIndexOutOfRange(index: -1, rowCount: 4)) { try table.row(-1) }
        #expect(TableError.rowIndexOutOfRange(index: 4, rowCount: 4).description
            == "Row index 4 is out of range for a table with 4 rows (valid: 0 to 3).")
    }

    @Test func headAndTail() throws {
        let table = try Table(["a": (0..<12).map(Double.init)], labels: Array(0..<12))
        #expect(table.head().labels == [0, 1, 2, 3, 4])
        #expect(table.head(2)[column: "a"] == [0, 1])
        #expect(table.head(50).rowCount == 12)
        #expect(table.head(0).rowCount == 0)
        #expect(table.tail(3).labels == [9, 10, 11])
        #expect(table.rows(in: 10..<20).labels == [10, 11])
    }

    @Test func selectDropRelabelAppend() throws {
        let table = try small()
        #expect(try table.selecting(columns: ["b"]).rows == [[10], [20], [30], [40]])
        #expect(try table.dropping(columns: ["b"]).columnNames == ["a"])
        #expect(throws: TableError.self) { try table.dropping(columns: ["zzz"]) }
        let relabelled = try table.withLabels([1, 1, 1, 1])
        #expect(relabelled.labels == [1, 1, 1, 1])
        #expect(relabelled.labelName == "target")
        #expect(table.withoutLabels().labels == nil)
        let both = try table.appending(table.head(1))
        #expect(both.rowCount == 5)
        #expect(both.labels == [0, 1, 1, 0, 0])
        #expect(both[column: "a"] == [1, 2, 3, 4, 1])
        #expect(throws: TableError.self) { try table.appending(table.withoutLabels()) }
        #expect(throws: TableError.self) { try table.appending(try table.selecting(columns: ["b", "a"])) }
    }

    @Test func labelCountsSortedByLabel() throws {
        let table = try Table(["a": [0, 0, 0, 0, 0]], labels: [3, -1, 3, 0, 3])
        let counts = table.labelCounts()
        #expect(counts.map(\.label) == [-1, 0, 3])
        #expect(counts.map(\.count) == [1, 1, 3])
    }

    @Test func describeEqualsPandasBitForBit() throws {
        let fixture = try DataFixtures.json(DescribeFixture.self, "describe.json")
        let cases: [(String, String, [DescribeFixture.Column], [[Int]])] = [
            ("sample_data.csv", "target", fixture.sample_data, fixture.sample_data_label_counts),
            ("datasets/iris.csv", "target", fixture.iris, fixture.iris_label_counts),
            ("awkward.csv", "label", fixture.awkward, fixture.awkward_label_counts),
        ]
        for (path, label, expected, labelCounts) in cases {
            var table = try Table.readCSV(DataFixtures.path(path), labelColumn: label)
            if path == "awkward.csv" { table = try table.dropping(columns: ["plain"]) }
            let summaries = table.describe()
            #expect(summaries.map(\.name) == expected.map(\.column), "\(path)")
            for (summary, want) in zip(summaries, expected) {
                let got: [String: String] = [
                    "mean": hex(summary.mean), "std": hex(summary.std), "min": hex(summary.min),
                    "p25": hex(summary.p25), "p50": hex(summary.p50), "p75": hex(summary.p75), "max": hex(summary.max),
                ]
                #expect(summary.count == want.count, "\(path) \(summary.name)")
                #expect(got == want.stats, "\(path) \(summary.name)")
            }
            #expect(table.labelCounts().map { [$0.label, $0.count] } == labelCounts, "\(path)")
        }
    }

    @Test func describeSkipsMissingValues() throws {
        let summary = ColumnSummary(name: "x", values: [1, .nan, 3, 2])
        #expect(summary.count == 3)
        #expect(summary.mean == 2)
        #expect(summary.std == 1)
        #expect(summary.min == 1 && summary.max == 3)
        #expect(summary.p25 == 1.5 && summary.p50 == 2 && summary.p75 == 2.5)
        let single = ColumnSummary(name: "y", values: [5])
        #expect(single.std.isNaN)
        #expect(single.p75 == 5)
        let empty = ColumnSummary(name: "z", values: [])
        #expect(empty.count == 0 && empty.mean.isNaN && empty.max.isNaN)
    }

    @Test func pairwiseSumDiffersFromNaiveSumLikeNumPy() {
        // 0.1 summed 1000 times: numpy's pairwise order gives 100.00000000000001 (naive: 99.9999999999986).
        let values = [Double](repeating: 0.1, count: 1000)
        #expect(Statistics.sum(values) == 100.00000000000001)
        #expect(values.reduce(0, +) != Statistics.sum(values))
    }
}
