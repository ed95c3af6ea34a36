/// Formats a double exactly as Python's `repr(float)` does (and so numpy's `str`, and pandas' `to_csv`).
///
/// The digits are the shortest that read back to the same double (Swift's `description` finds them);
/// the layout is Python's: positional notation for decimal exponents from −4 to 15 with at least one
/// digit after the point (`1.0`, `0.0001`, `9999999999999998.0`), scientific otherwise with a signed,
/// at least two-digit exponent (`1e+16`, `1e-05`, `1.5e-07`). `inf`, `-inf`, `nan`, `-0.0` as Python.
public func pythonRepr(_ value: Double) -> String {
    if value.isNaN { return "nan" }
    if value.isInfinite { return value < 0 ? "-inf" : "inf" }
    if value == 0 { return value.sign == .minus ? "-0.0" : "0.0" }
    // Swift's `description` lays out digits as Python does except from 2⁵³ up to 10¹⁶, where Swift
    // already switches to scientific notation (tested against Python on thousands of values).
    let magnitude = abs(value)
    if magnitude < 9_007_199_254_740_992 || magnitude >= 1e16 { return value.description }
    let (digits, pointPosition) = shortestDigits(abs(value))
    let sign = value < 0 ? "-" : ""
    // `value = 0.d1d2d3… × 10^pointPosition` (dtoa's `decpt`); Python switches at decpt ≤ −4 or > 16.
    if pointPosition <= -4 || pointPosition > 16 {
        let exponent = pointPosition - 1
        let head = String(digits.first ?? "0")
        let rest = String(digits.dropFirst())
        let magnitude = String(abs(exponent))
        let exponentText = (exponent < 0 ? "-" : "+") + (magnitude.count < 2 ? "0" + magnitude : magnitude)
        return sign + head + (rest.isEmpty ? "" : "." + rest) + "e" + exponentText
    }
    if pointPosition <= 0 {
        return sign + "0." + String(repeating: "0", count: -pointPosition) + digits
    }
    if pointPosition >= digits.count {
        return sign + digits + String(repeating: "0", count: pointPosition - digits.count) + ".0"
    }
    let split = digits.index(digits.startIndex, offsetBy: pointPosition)
    return sign + digits[..<split] + "." + digits[split...]
}

/// The shortest round-trip decimal digits of a finite positive double (no leading or trailing zeros)
/// and the position of the decimal point relative to them.
private func shortestDigits(_ value: Double) -> (digits: String, pointPosition: Int) {
    let text = value.description
    var mantissa = Substring(text)
    var exponent = 0
    if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
        mantissa = text[..<e]
        exponent = Int(text[text.index(after: e)...]) ?? 0
    }
    let integerPart: Substring, fractionPart: Substring
    if let dot = mantissa.firstIndex(of: ".") {
        integerPart = mantissa[..<dot]
        fractionPart = mantissa[mantissa.index(after: dot)...]
    } else {
        integerPart = mantissa
        fractionPart = ""
    }
    var digits = Array(integerPart + fractionPart)
    var pointPosition = integerPart.count + exponent
    while digits.first == "0" {
        digits.removeFirst()
        pointPosition -= 1
    }
    while digits.last == "0" { digits.removeLast() }
    return (String(digits), pointPosition)
}
