import BookModel
import Foundation

/// A linear map from a data interval onto a pixel interval.
///
/// Any finite domain works, including one wider than `Double` can subtract (-1e308…1e308) and one of
/// subnormals; a value far outside the domain is held a page's width beyond the range, so every
/// coordinate it gives for a finite value is finite and printable.
struct LinearScale {
    var domain: (lower: Double, upper: Double)
    var range: (lower: Double, upper: Double)

    func callAsFunction(_ value: Double) -> Double {
        let span = domain.upper - domain.lower
        guard span != 0 else { return (range.lower + range.upper) / 2 }
        let position: Double
        if span.isFinite {
            position = range.lower + (value - domain.lower) / span * (range.upper - range.lower)
        } else {
            // The span overflows: measure in halves, which cannot.
            position = range.lower + (value / 2 - domain.lower / 2) / (domain.upper / 2 - domain.lower / 2) * (range.upper - range.lower)
        }
        guard !position.isNaN else { return position }
        let reach = Swift.max(abs(range.upper - range.lower), 1) * 10
        return Swift.min(Swift.max(position, Swift.min(range.lower, range.upper) - reach),
                         Swift.max(range.lower, range.upper) + reach)
    }
}

extension LinearScale {
    /// The smallest interval holding the finite `values`, widened by `padding` × its span (never empty,
    /// always finite).
    static func extent(_ values: [Double], padding: Double = 0) -> (lower: Double, upper: Double) {
        let finite = values.filter(\.isFinite)
        guard var lower = finite.min(), var upper = finite.max() else { return (0, 1) }
        if lower == upper { return widened(lower) }
        let pad = span(lower, upper) * padding
        lower = clamped(lower - pad)
        upper = clamped(upper + pad)
        return (lower, upper)
    }

    /// An interval around a single value: ±10 % of it (±1 around zero), kept finite; ±1 when the value is
    /// so small that 10 % of it vanishes.
    static func widened(_ value: Double) -> (lower: Double, upper: Double) {
        let pad = value == 0 ? 1 : abs(value) * 0.1
        let lower = clamped(value - pad), upper = clamped(value + pad)
        return lower < upper ? (lower, upper) : (value - 1, value + 1)
    }

    /// `upper - lower`, or the largest finite double when that overflows.
    static func span(_ lower: Double, _ upper: Double) -> Double {
        let span = upper - lower
        return span.isFinite ? span : .greatestFiniteMagnitude
    }

    /// `value` held inside the finite doubles.
    static func clamped(_ value: Double) -> Double {
        Swift.min(Swift.max(value, -.greatestFiniteMagnitude), .greatestFiniteMagnitude)
    }
}

/// "Nice" axis ticks: steps of 1, 2 or 5 × 10^k covering the data, with labels at a fixed precision.
///
/// Where nice ticks cannot be had (a range near the ends of `Double`, or too narrow for its magnitude to
/// hold five distinct steps), the axis falls back to plain ticks: the interval's ends and evenly spaced
/// values between, labelled with as many significant digits as tell them apart.
struct Ticks: Equatable {
    var values: [Double]
    var step: Double
    /// Digits after the decimal point needed to tell the ticks apart.
    var decimals: Int
    /// Set when labels use significant digits (`%g`) instead of `decimals`: for huge or tiny values.
    var significantDigits: Int?

    var lower: Double { values.first ?? 0 }
    var upper: Double { values.last ?? 1 }

    /// Ticks spanning `lower...upper` with about `target` intervals.
    init(lower: Double, upper: Double, target: Int = 5) {
        var lower = lower.isFinite ? lower : 0
        var upper = upper.isFinite ? upper : 1
        if lower > upper { swap(&lower, &upper) }
        if lower == upper { (lower, upper) = LinearScale.widened(lower) }
        let intervals = max(target, 1)
        self = Self.nice(lower: lower, upper: upper, intervals: intervals)
            ?? Self.plain(lower: lower, upper: upper, intervals: intervals)
    }

    private init(values: [Double], step: Double, decimals: Int, significantDigits: Int?) {
        self.values = values
        self.step = step
        self.decimals = decimals
        self.significantDigits = significantDigits
    }

    /// Multiples of a 1-2-5 step covering `lower...upper`, or nil when they cannot be computed exactly.
    private static func nice(lower: Double, upper: Double, intervals: Int) -> Ticks? {
        let rough = LinearScale.span(lower, upper) / Double(intervals)
        guard rough > 0, rough.isFinite else { return nil }
        let magnitude = pow(10, floor(log10(rough)))
        guard magnitude > 0, magnitude.isFinite else { return nil }
        let residual = rough / magnitude
        let factor: Double = residual <= 1 ? 1 : residual <= 2 ? 2 : residual <= 5 ? 5 : 10
        let step = factor * magnitude
        guard step > 0, step.isFinite else { return nil }
        // Tolerate floating-point noise so 0.30000000000000004 does not add a tick.
        let first = floor(lower / step + 1e-9)
        let last = ceil(upper / step - 1e-9)
        guard first.isFinite, last.isFinite, last - first <= Double(4 * intervals + 4) else { return nil }
        let count = max(1, Int((last - first).rounded()))
        let values = (0...count).map { (first + Double($0)) * step }
        guard values.allSatisfy(\.isFinite), zip(values, values.dropFirst()).allSatisfy({ $0 < $1 }) else { return nil }
        let decimals = max(0, -Int(floor(log10(step) + 1e-9)))
        let largest = values.map(abs).max() ?? 0
        var significant: Int?
        if decimals > 8 || largest >= 1e15 {
            let digits = Int(floor(log10(largest))) - Int(floor(log10(step) + 1e-9)) + 1
            significant = min(max(digits, 1), 17)
        }
        return Ticks(values: values, step: step, decimals: decimals, significantDigits: significant)
    }

    /// The ends of `lower...upper` and evenly spaced values between, each distinct and finite.
    private static func plain(lower: Double, upper: Double, intervals: Int) -> Ticks {
        var values: [Double] = []
        for index in 0...intervals {
            let t = Double(index) / Double(intervals)
            let value = index == intervals ? upper : lower * (1 - t) + upper * t
            if value.isFinite, values.last.map({ value > $0 }) ?? true { values.append(value) }
        }
        let gaps = zip(values, values.dropFirst()).map { LinearScale.span($0, $1) }
        let gap = gaps.min() ?? 1
        let largest = values.map(abs).max() ?? 1
        let digits = largest > 0 && gap > 0 ? Int(floor(log10(largest))) - Int(floor(log10(gap))) + 2 : 4
        return Ticks(values: values, step: gap, decimals: 0, significantDigits: min(max(digits, 2), 17))
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
        guard let significantDigits else { return NumberFormat.fixed(value, digits: decimals) }
        if value == 0 { return "0" }
        return String(format: "%.\(significantDigits)g", value)
    }
}

/// The plot rectangle inside the canvas.
struct PlotFrame {
    var left: Double, top: Double, right: Double, bottom: Double
    var width: Double { right - left }
    var height: Double { bottom - top }
}

/// Axes for the charts with a y scale (line, bar, histogram, scatter).
extension ChartContext {
    /// A canvas of the standard size with `legend` at the top, and the plot frame below the legend and
    /// the marker labels, left of the y ticks and above the x ticks (and the axis labels, if any).
    func axisCanvas(legend: [LegendEntry], yTicks: Ticks) -> (canvas: Canvas, frame: PlotFrame) {
        let width = ChartImage.width, height = ChartImage.height
        var canvas = Canvas(width: width, height: height)
        let legendHeight = canvas.legend(legend, left: 16, right: width - 16) + markerSpace
        let tickWidth = yTicks.values.map { Canvas.textWidth(yTicks.label($0)) }.max() ?? 20
        let left = 12 + tickWidth + (yLabel == nil ? 0 : 20)
        let top = 12 + legendHeight
        let bottom = height - (xLabel == nil ? 30 : 48)
        return (canvas, PlotFrame(left: left, top: top, right: width - 16, bottom: bottom))
    }

    /// Grid lines, tick labels and axis labels for a frame with a linear y scale; with a linear x scale,
    /// also its ticks and the markers.
    func axes(_ canvas: inout Canvas, frame: PlotFrame, x: Ticks?, xScale: LinearScale?, y: Ticks, yScale: LinearScale) {
        for value in y.values {
            let position = yScale(value)
            canvas.line(frame.left, position, frame.right, position, class: "grid")
            canvas.text(frame.left - 6, position + 4, y.label(value), class: "tick", anchor: "end")
        }
        if let x, let xScale {
            for value in x.values {
                let position = xScale(value)
                canvas.line(position, frame.bottom, position, frame.bottom + 4, class: "axis")
                canvas.text(position, frame.bottom + 18, x.label(value), class: "tick")
            }
        }
        canvas.line(frame.left, frame.bottom, frame.right, frame.bottom, class: "axis")
        axisLabels(&canvas, frame: frame)
        if let xScale {
            drawMarkers(&canvas, frame: frame, xScale: xScale)
        }
    }

    /// The x label centred below the frame, the y label turned along its left side.
    func axisLabels(_ canvas: inout Canvas, frame: PlotFrame) {
        if let xLabel {
            canvas.text((frame.left + frame.right) / 2, frame.bottom + 38, xLabel, class: "label")
        }
        if let yLabel {
            let f = NumberFormat.coordinate
            let cx = 14.0, cy = (frame.top + frame.bottom) / 2
            canvas.text(cx, cy, yLabel, class: "label", extra: " transform=\"rotate(-90 \(f(cx)) \(f(cy)))\"")
        }
    }
}
