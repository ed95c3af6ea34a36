import BookModel
import Foundation

/// A linear map from a data interval onto a pixel interval.
struct LinearScale {
    var domain: (lower: Double, upper: Double)
    var range: (lower: Double, upper: Double)

    func callAsFunction(_ value: Double) -> Double {
        let span = domain.upper - domain.lower
        guard span != 0 else { return (range.lower + range.upper) / 2 }
        return range.lower + (value - domain.lower) / span * (range.upper - range.lower)
    }
}

/// "Nice" axis ticks: steps of 1, 2 or 5 × 10^k covering the data, with labels at a fixed precision.
struct Ticks: Equatable {
    var values: [Double]
    var step: Double
    /// Digits after the decimal point needed to tell the ticks apart.
    var decimals: Int

    var lower: Double { values.first ?? 0 }
    var upper: Double { values.last ?? 1 }

    /// Ticks spanning `lower...upper` with about `target` intervals.
    init(lower: Double, upper: Double, target: Int = 5) {
        var lower = lower.isFinite ? lower : 0
        var upper = upper.isFinite ? upper : 1
        if lower > upper { swap(&lower, &upper) }
        if lower == upper {
            let pad = lower == 0 ? 1 : abs(lower) * 0.1
            lower -= pad
            upper += pad
        }
        let rough = (upper - lower) / Double(max(target, 1))
        let magnitude = pow(10, floor(log10(rough)))
        let residual = rough / magnitude
        let factor: Double = residual <= 1 ? 1 : residual <= 2 ? 2 : residual <= 5 ? 5 : 10
        let step = factor * magnitude
        // Tolerate floating-point noise so 0.30000000000000004 does not add a tick.
        let first = floor(lower / step + 1e-9)
        let last = ceil(upper / step - 1e-9)
        let count = max(1, Int((last - first).rounded()))
        self.step = step
        self.values = (0...count).map { (first + Double($0)) * step }
        self.decimals = max(0, -Int(floor(log10(step) + 1e-9)))
    }

    /// Ticks that fall inside `lower...upper` (for an axis whose domain is the data's exact extent).
    static func inside(lower: Double, upper: Double, target: Int = 5) -> Ticks {
        var ticks = Ticks(lower: lower, upper: upper, target: target)
        let tolerance = ticks.step * 1e-6
        let kept = ticks.values.filter { $0 >= lower - tolerance && $0 <= upper + tolerance }
        if !kept.isEmpty { ticks.values = kept }
        return ticks
    }

    func label(_ value: Double) -> String {
        NumberFormat.fixed(value, digits: decimals)
    }
}
