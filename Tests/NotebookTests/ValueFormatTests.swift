import Testing
import LoopbookRuntime
@testable import Notebook

/// `publish(_:_:format:)`'s formats: the same text on every machine, with the rounding edge cases.
@Suite struct ValueFormatTests {
    @Test func percent() {
        let one = ValueFormat.percent(digits: 1)
        #expect(one.string(0.9981) == "99.8%")
        #expect(one.string(0.9995) == "100.0%", "rounded once from the exact value, not from 0.9995 * 100 = 99.94999…")
        #expect(one.string(0.99949) == "99.9%")
        #expect(one.string(1) == "100.0%" && one.string(0) == "0.0%")
        #expect(one.string(-0.123) == "-12.3%")
        #expect(one.string(-0.0) == "0.0%" && one.string(-0.00001) == "0.0%", "no negative zero")
        #expect(ValueFormat.percent().string(0.5) == "50%" && ValueFormat.percent().string(0.004) == "0%")
        #expect(ValueFormat.percent(digits: 2).string(0.000123) == "0.01%")
        #expect(ValueFormat.percent(grouped: true).string(12.3456) == "1,235%")
        #expect(ValueFormat.percent().string(12.3456) == "1235%")
    }

    @Test func fixed() {
        #expect(ValueFormat.fixed(3).string(0.8154) == "0.815")
        #expect(ValueFormat.fixed(3).string(0.9995) == "1.000")
        #expect(ValueFormat.fixed(3).string(-0.0) == "0.000" && ValueFormat.fixed(3).string(-0.0004) == "0.000")
        #expect(ValueFormat.fixed(0).string(2.5) == "2", "an exact tie goes to the even digit, as C's printf")
        #expect(ValueFormat.fixed(2, grouped: true).string(1234567.891) == "1,234,567.89")
        #expect(ValueFormat.fixed(2, grouped: true).string(-1234.5) == "-1,234.50")
        #expect(ValueFormat.fixed(2).string(7) == "7.00")
    }

    @Test func groupedAndInteger() {
        #expect(ValueFormat.grouped.string(1234567.891) == "1,234,568")
        #expect(ValueFormat.grouped.string(-1234567.891) == "-1,234,568")
        #expect(ValueFormat.integer(grouped: true).string(1234567.891) == "1,234,568")
        #expect(ValueFormat.grouped.string(999.5) == "1,000" && ValueFormat.grouped.string(123) == "123")
        #expect(ValueFormat.grouped.string(100_000) == "100,000" && ValueFormat.grouped.string(-0.4) == "0")
        #expect(ValueFormat.grouped.string(Int.max) == "9,223,372,036,854,775,807", "integers keep every digit")
        #expect(ValueFormat.grouped.string(-1234) == "-1,234")
        #expect(ValueFormat.integer().string(41.6) == "42" && ValueFormat.integer().string(1234567.891) == "1234568")
    }

    @Test func significant() {
        let two = ValueFormat.significant(2)
        #expect(two.string(0.012345) == "0.012")
        #expect(two.string(12345) == "12000")
        #expect(two.string(9.96) == "10", "rounding up adds a digit in front")
        #expect(two.string(0.5) == "0.50", "significant trailing zeros stay")
        #expect(two.string(0) == "0.0" && two.string(-0.0) == "0.0")
        #expect(two.string(-0.00012345) == "-0.00012")
        #expect(two.string(1.2345e-7) == "1.2e-07" && two.string(1.5e20) == "1.5e+20")
        #expect(ValueFormat.significant(3).string(0.9995) == "1.00")
        #expect(ValueFormat.significant(3, grouped: true).string(123456) == "123,000")
        #expect(ValueFormat.significant(1).string(0.95) == "0.9", "0.95 is a little below the tie in binary")
    }

    @Test func aChapterPublishesFormattedValues() async throws {
        let code = """
            ```swift
            publish("accuracy", 0.9981, format: .percent(digits: 1))
            publish("rows", 1234567.891, format: .grouped)
            publish("count", 1234567, format: .integer(grouped: true))
            publish("rate", 0.012345, format: .significant(2))
            publish("loss", Double.nan, format: .fixed(3))
            ```
            """
        let project = try TestProject(["Content/01-a.md": code])
        defer { project.remove() }
        let report = try await project.run()
        #expect(report.succeeded, "\(report.diagnostics.map(\.descriptionWithOutput))")
        #expect(try report.chapter("01-a").result.values
            == ["accuracy": "99.8%", "rows": "1,234,568", "count": "1,234,567", "rate": "0.012", "loss": "nan"])
    }

    @Test func nonFiniteValuesAreSpelledOutInEveryFormat() {
        for format in [ValueFormat.fixed(2), .percent(digits: 1), .significant(3), .grouped, .fixed(1, grouped: true)] {
            #expect(format.string(.nan) == "nan")
            #expect(format.string(.infinity) == "inf")
            #expect(format.string(-.infinity) == "-inf")
        }
    }
}
