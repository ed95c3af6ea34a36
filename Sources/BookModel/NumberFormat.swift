#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one number formatter of the book: deterministic (no locale, `.` as the decimal point, no
/// grouping), used by the chapter runtime for values and tables and by the site for charts.
///
/// Every form spells the non-finite values the same way: `nan`, `inf` and `-inf` (as Python and numpy
/// print them), and none prints a negative zero.
public enum NumberFormat {
    /// `value` with exactly `digits` digits after the point (0…17), e.g. `fixed(0.8154, digits: 3)` is
    /// "0.815" and `fixed(-0.0001, digits: 2)` is "0.00".
    public static func fixed(_ value: Double, digits: Int) -> String {
        if let text = nonFinite(value) { return text }
        var text = printf("%.\(max(0, min(digits, 17)))f", value)
        if text.hasPrefix("-"), text.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) { text.removeFirst() }
        return text
    }

    /// Up to `maxDigits` decimals without trailing zeros, e.g. 5.1 → "5.1", 1/3 → "0.3333", 3.0 → "3".
    public static func trimmed(_ value: Double, maxDigits: Int = 4) -> String {
        var text = fixed(value, digits: maxDigits)
        guard text.contains("."), value.isFinite else { return text }
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text == "-0" ? "0" : text
    }

    /// A short readable form for chart tooltips and data tables: integers without decimals, others with
    /// up to 4 decimals, and 4 significant digits in scientific notation below 0.001 or from 10¹⁵ up.
    public static func compact(_ value: Double) -> String {
        if let text = nonFinite(value) { return text }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        if abs(value) < 1e-3 || abs(value) >= 1e15 { return printf("%.4g", value) }
        return trimmed(value, maxDigits: 4)
    }

    /// An SVG coordinate: `value` rounded to one decimal, without a trailing `.0` ("12", "12.5", "-0.3");
    /// a non-finite value (which a chart never draws) gives "0".
    public static func coordinate(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let tenths = Int((value * 10).rounded())
        let whole = tenths / 10
        let fraction = abs(tenths % 10)
        let sign = tenths < 0 && whole == 0 ? "-" : ""
        return fraction == 0 ? "\(sign)\(whole)" : "\(sign)\(whole).\(fraction)"
    }

    /// `value` as a percentage with exactly `digits` digits after the point (0…15) and no space before
    /// the sign, e.g. `percent(0.9981, digits: 1)` is "99.8%". Rounded once, from the exact value (not
    /// from `value * 100`): `percent(0.9995, digits: 1)` is "100.0%". Non-finite values have no sign.
    public static func percent(_ value: Double, digits: Int, grouped: Bool = false) -> String {
        if let text = nonFinite(value) { return text }
        let digits = max(0, min(digits, 15))
        // Round to two more decimals, then move the point two places right.
        var text = fixed(value, digits: digits + 2)
        let sign = text.hasPrefix("-") ? "-" : ""
        if !sign.isEmpty { text.removeFirst() }
        let parts = text.split(separator: ".", maxSplits: 1)
        let fraction = Array(parts[1])
        var whole = String(parts[0]) + String(fraction.prefix(2))
        while whole.count > 1, whole.hasPrefix("0") { whole.removeFirst() }
        if grouped { whole = group(whole) }
        let rest = String(fraction.dropFirst(2))
        return sign + whole + (rest.isEmpty ? "" : "." + rest) + "%"
    }

    /// `value` rounded to `digits` significant digits (1…15), e.g. `significant(0.012345, digits: 2)` is
    /// "0.012", `significant(12345, digits: 2)` is "12000" and `significant(9.96, digits: 2)` is "10";
    /// trailing zeros that are significant stay ("0.50"). Magnitudes below 1e-6 or from 1e15 up are
    /// written in scientific notation ("1.2e-07").
    public static func significant(_ value: Double, digits: Int, grouped: Bool = false) -> String {
        if let text = nonFinite(value) { return text }
        let digits = max(1, min(digits, 15))
        // %e rounds the exact value to `digits` significant digits and tells the exponent after rounding.
        let scientific = printf("%.\(digits - 1)e", value)
        guard let e = scientific.firstIndex(of: "e"), let exponent = Int(scientific[scientific.index(after: e)...]),
              let rounded = Double(scientific) else { return scientific }
        if exponent < -6 || exponent >= 15 || digits - 1 - exponent > 17 {
            return rounded == 0 ? fixed(0, digits: digits - 1) : scientific
        }
        let text = fixed(rounded, digits: max(0, digits - 1 - exponent))
        return grouped ? group(text) : text
    }

    /// `value` with `digits` digits after the point (0…17) and its whole part in groups of three
    /// separated by commas, e.g. `grouped(1234567.891, digits: 0)` is "1,234,568".
    public static func grouped(_ value: Double, digits: Int = 0) -> String {
        if let text = nonFinite(value) { return text }
        return group(fixed(value, digits: digits))
    }

    /// Commas between groups of three digits in the whole part of a number written by `fixed`
    /// ("-1234567.5" → "-1,234,567.5").
    public static func group(_ text: String) -> String {
        let sign = text.hasPrefix("-") ? "-" : ""
        let body = text.dropFirst(sign.count)
        let point = body.firstIndex(of: ".") ?? body.endIndex
        let whole = Array(body[..<point])
        guard whole.allSatisfy(\.isASCII), whole.allSatisfy(\.isNumber) else { return text }
        var out = ""
        for (index, digit) in whole.enumerated() {
            if index > 0, (whole.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return sign + out + body[point...]
    }

    /// "nan", "inf" or "-inf" for a non-finite value, else nil.
    public static func nonFinite(_ value: Double) -> String? {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        return nil
    }

    /// C's `snprintf` with one double (the C locale: the model sets none).
    private static func printf(_ format: String, _ value: Double) -> String {
        var buffer = [CChar](repeating: 0, count: 512)
        let count = withVaList([value]) { vsnprintf(&buffer, buffer.count, format, $0) }
        guard count >= 0 else { return "" }
        if Int(count) >= buffer.count {
            buffer = [CChar](repeating: 0, count: Int(count) + 1)
            _ = withVaList([value]) { vsnprintf(&buffer, buffer.count, format, $0) }
        }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
