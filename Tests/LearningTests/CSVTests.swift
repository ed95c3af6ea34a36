import Foundation
import LoopbookTestSupport
import Testing
@testable import Learning

/// Python's `repr` of doubles across the exponent range, made by `make_fixtures.py`.
private struct FloatReprFixture: Decodable {
    struct Value: Decodable {
        let bits: String
        let repr: String
    }
    let values: [Value]
}

struct CSVTests {
    // MARK: Writing exactly as pandas

    @Test func pythonReprMatchesPythonForThousandsOfDoubles() throws {
        let fixture = try DataFixtures.json(FloatReprFixture.self, "float_repr.json")
        #expect(fixture.values.count > 3000)
        var mismatches: [String] = []
        for value in fixture.values {
            let bits = try #require(UInt64(value.bits, radix: 16))
            let text = pythonRepr(Double(bitPattern: bits))
            if text != value.repr { mismatches.append("\(value.repr) became \(text)") }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(10))")
    }

    @Test func pythonReprSpecialValues() {
        #expect(pythonRepr(1) == "1.0")
        #expect(pythonRepr(-0.0) == "-0.0")
        #expect(pythonRepr(9_999_999_999_999_998) == "9999999999999998.0")
        #expect(pythonRepr(1e16) == "1e+16")
        #expect(pythonRepr(0.0001) == "0.0001")
        #expect(pythonRepr(0.00001) == "1e-05")
        #expect(pythonRepr(-1.5e-7) == "-1.5e-07")
        #expect(pythonRepr(.infinity) == "inf")
        #expect(pythonRepr(-.infinity) == "-inf")
        #expect(pythonRepr(.nan) == "nan")
    }

    @Test(arguments: ["sample_data.csv", "datasets/iris.csv", "datasets/wine.csv",
                      "datasets/breast_cancer.csv", "datasets/digits.csv"])
    func writerReproducesPandasBytes(path: String) throws {
        let original = try DataFixtures.text(path)
        let table = try Table.readCSV(DataFixtures.path(path))
        #expect(table.csvString() == original)
    }

    @Test func awkwardValuesAndNamesAreWrittenAsPandasWritesThem() throws {
        let original = try DataFixtures.text("awkward.csv")
        let table = try Table.readCSV(DataFixtures.path("awkward.csv"), labelColumn: "label")
        #expect(table.columnNames == ["plain", "with,comma", "with \"quotes\"", "integers as floats"])
        let plain = try table.column("plain")
        #expect(plain.contains(.infinity) && plain.contains(-.infinity) && plain.contains { $0.isNaN })
        #expect(plain[1].sign == .minus && plain[1] == 0)
        #expect(table.csvString() == original)
    }

    @Test func sampleDataShape() throws {
        let table = try Table.readCSV(DataFixtures.path("sample_data.csv"))
        #expect(table.columnNames == ["feature1", "feature2", "feature3"])
        #expect(table.rowCount == 100)
        #expect(table.labelName == "target")
        #expect(table.labelCounts().map(\.count).reduce(0, +) == 100)
        #expect(try table.row(0) == [0.4967141530112327, -1.4153707420504142, 0.3577873603482833])
    }

    @Test func datasetsHaveTheirKnownShapes() throws {
        let shapes = [("iris", 150, 4, 3), ("wine", 178, 13, 3), ("breast_cancer", 569, 30, 2), ("digits", 1797, 64, 10)]
        for (name, rows, features, classes) in shapes {
            let table = try Table.readCSV(DataFixtures.path("datasets/\(name).csv"))
            #expect(table.rowCount == rows, "\(name)")
            #expect(table.featureCount == features, "\(name)")
            #expect(table.labelCounts().count == classes, "\(name)")
        }
    }

    @Test func writeAndReadBackThroughAFile() throws {
        let folder = try TemporaryFolder(prefix: "learning-csv")
        defer { folder.remove() }
        let directory = folder.root
        let path = directory.appendingPathComponent("out.csv").path
        let table = try Table(["x": [0.1, 2, -3e-9, .nan], "y, z": [1, 2, 3, 4]], labelName: "class", labels: [2, 0, 1, 2])
        try table.writeCSV(to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8)
            == "x,\"y, z\",class\n0.1,1.0,2\n2.0,2.0,0\n-3e-09,3.0,1\n,4.0,2\n")
        let back = try Table.readCSV(path, labelColumn: "class")
        #expect(back.csvString() == table.csvString())
        #expect(back.labels == table.labels)
        #expect(back[column: "y, z"] == [1, 2, 3, 4])
    }

    @Test func writingToAMissingDirectoryThrows() throws {
        let table = try Table(["x": [1]])
        let path = "/nonexistent-\(UUID().uuidString)/out.csv"
        #expect { try table.writeCSV(to: path) } throws: { error in
            guard case let .unwritableFile(file, _) = error as? CSVError else { return false }
            return file == path && "\(error)".hasPrefix("\(path) could not be written: ")
        }
    }

    // MARK: Reading: accepted variations

    @Test func headerOnlyGivesAnEmptyTable() throws {
        let table = try Table.readCSV(contents: "a,b,target\n", name: "h.csv")
        #expect(table.rowCount == 0)
        #expect(table.columnNames == ["a", "b"])
        #expect(table.labels == [])
        #expect(table.csvString() == "a,b,target\n")
    }

    @Test func withoutALabelColumnEveryColumnIsAFeature() throws {
        let table = try Table.readCSV(contents: "a,target\n1,2\n", labelColumn: nil)
        #expect(table.columnNames == ["a", "target"])
        #expect(table.labels == nil)
        #expect(table.csvString() == "a,target\n1.0,2.0\n")
    }

    @Test func labelColumnMayBeAnywhere() throws {
        let table = try Table.readCSV(contents: "y,a,b\n1,0.5,2\n0,1.5,3\n", labelColumn: "y")
        #expect(table.columnNames == ["a", "b"])
        #expect(table.labels == [1, 0])
        #expect(table.csvString() == "a,b,y\n0.5,2.0,1\n1.5,3.0,0\n")
    }

    @Test func crlfBlankLinesBOMQuotesAndMissingValues() throws {
        let text = "\u{FEFF}\"a\",\"b \"\"quoted\"\"\",target\r\n\r\n1,\"2\",0\r\n,nan,1.0\r\n  3 , inf ,-2\r\n"
        let table = try Table.readCSV(contents: text)
        #expect(table.columnNames == ["a", "b \"quoted\""])
        #expect(table.labels == [0, 1, -2])
        let a = try table.column("a"), b = try table.column("b \"quoted\"")
        #expect(a[0] == 1 && a[1].isNaN && a[2] == 3)
        #expect(b[0] == 2 && b[1].isNaN && b[2] == .infinity)
        #expect(table.csvString() == "a,\"b \"\"quoted\"\"\",target\n1.0,2.0,0\n,,1\n3.0,inf,-2\n")
    }

    @Test func singleColumnOfMissingValuesRoundTrips() throws {
        let table = try Table(["x": [.nan, 1]])
        #expect(table.csvString() == "x\n\"\"\n1.0\n")
        let back = try Table.readCSV(contents: table.csvString(), labelColumn: nil)
        #expect(back.rowCount == 2)
        #expect(back[column: "x"]?[0].isNaN == true)
    }

    // MARK: Reading: every malformed-input error, with its message

    private func expectError(_ text: String, labelColumn: String? = "target", _ expected: CSVError,
                             _ message: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(throws: expected, sourceLocation: sourceLocation) {
            try Table.readCSV(contents: text, name: "sample_data.csv", labelColumn: labelColumn)
        }
        #expect(expected.description == message, sourceLocation: sourceLocation)
    }

    @Test func emptyFile() {
        expectError("", .emptyFile(file: "sample_data.csv"),
                    "sample_data.csv is empty; a CSV file needs a header row with the column names.")
        expectError("\n\r\n\n", .emptyFile(file: "sample_data.csv"),
                    "sample_data.csv is empty; a CSV file needs a header row with the column names.")
    }

    @Test func raggedRow() {
        let text = "feature1,feature2,feature3,target\n1,2,3,0\n1,2,3,1\n\n1,2,3,0\n1,2,3,1\n4,5,1\n"
        expectError(text, .raggedRow(file: "sample_data.csv", line: 7, fields: 3, expected: 4),
                    "sample_data.csv:7: row has 3 fields but the header has 4.")
        expectError("a,target\n1,2,3\n", .raggedRow(file: "sample_data.csv", line: 2, fields: 3, expected: 2),
                    "sample_data.csv:2: row has 3 fields but the header has 2.")
        expectError("a,b,target\n1\n", .raggedRow(file: "sample_data.csv", line: 2, fields: 1, expected: 3),
                    "sample_data.csv:2: row has 1 field but the header has 3.")
    }

    @Test func nonNumericCell() {
        expectError("feature1,feature2,target\n1,2,0\n1,abc,1\n",
                    .notANumber(file: "sample_data.csv", line: 3, column: "feature2", value: "abc"),
                    "sample_data.csv:3: column 'feature2' has 'abc', which is not a number.")
        expectError("x,target\n0x10,1\n", .notANumber(file: "sample_data.csv", line: 2, column: "x", value: "0x10"),
                    "sample_data.csv:2: column 'x' has '0x10', which is not a number.")
        expectError("x,target\n\"1,5\",1\n", .notANumber(file: "sample_data.csv", line: 2, column: "x", value: "1,5"),
                    "sample_data.csv:2: column 'x' has '1,5', which is not a number.")
    }

    @Test func nonIntegerLabel() {
        expectError("x,target\n1,0\n2,1.5\n",
                    .notAnInteger(file: "sample_data.csv", line: 3, column: "target", value: "1.5"),
                    "sample_data.csv:3: column 'target' has '1.5', which is not an integer label.")
        expectError("x,target\n1,\n", .notAnInteger(file: "sample_data.csv", line: 2, column: "target", value: ""),
                    "sample_data.csv:2: column 'target' has '', which is not an integer label.")
        expectError("x,target\n1,yes\n",
                    .notAnInteger(file: "sample_data.csv", line: 2, column: "target", value: "yes"),
                    "sample_data.csv:2: column 'target' has 'yes', which is not an integer label.")
    }

    @Test func missingLabelColumn() {
        expectError("feature1,feature2\n1,2\n",
                    .missingLabelColumn(file: "sample_data.csv", column: "target", header: ["feature1", "feature2"]),
                    "sample_data.csv: the header has no label column 'target' (its columns are 'feature1', "
                        + "'feature2'); pass labelColumn: nil to read the file without labels.")
    }

    @Test func headerProblems() {
        expectError(",feature1,target\n0,1.5,1\n",
                    .emptyColumnName(file: "sample_data.csv", line: 1, position: 1),
                    "sample_data.csv:1: column 1 of the header has no name; every column needs one (a file saved "
                        + "by pandas with its index has an unnamed first column: save with index=False).")
        expectError("\n\na,b,a,target\n", .duplicateColumn(file: "sample_data.csv", line: 3, column: "a"),
                    "sample_data.csv:3: the column name 'a' appears more than once in the header.")
    }

    @Test func unterminatedQuote() {
        expectError("a,target\n1,0\n\"2,\n3,1\n4,0\n", .unterminatedQuote(file: "sample_data.csv", line: 3),
                    "sample_data.csv:3: a quoted field that starts on this line is never closed.")
    }

    @Test func quotedLineBreaksKeepLineNumbersRight() {
        expectError("\"multi\nline\",target\n1,0\nx,1\n",
                    .notANumber(file: "sample_data.csv", line: 4, column: "multi\nline", value: "x"),
                    "sample_data.csv:4: column 'multi\nline' has 'x', which is not a number.")
    }

    @Test func missingAndNonUTF8Files() throws {
        let folder = try TemporaryFolder(prefix: "learning-csv")
        defer { folder.remove() }
        let directory = folder.root
        let missing = directory.appendingPathComponent("nope.csv").path
        #expect(throws: CSVError.unreadableFile(file: missing, reason: "there is no such file")) {
            try Table.readCSV(missing)
        }
        #expect(CSVError.unreadableFile(file: missing, reason: "there is no such file").description
            == "\(missing) could not be read: there is no such file.")
        let latin1 = directory.appendingPathComponent("latin1.csv")
        try Data([0x61, 0x2C, 0xE9, 0x0A]).write(to: latin1)
        #expect(throws: CSVError.unreadableFile(file: latin1.path, reason: "it is not UTF-8 text")) {
            try Table.readCSV(latin1.path, labelColumn: nil)
        }
    }

    @Test func errorsFromFilesNameTheFileAsGiven() throws {
        let folder = try TemporaryFolder(prefix: "learning-csv")
        defer { folder.remove() }
        let directory = folder.root
        let path = directory.appendingPathComponent("bad.csv").path
        try Data("a,target\n1,0\nq,1\n".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: CSVError.notANumber(file: path, line: 3, column: "a", value: "q")) {
            try Table.readCSV(path)
        }
    }
}
