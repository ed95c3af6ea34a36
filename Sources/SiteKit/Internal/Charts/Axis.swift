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

extension LinearScale {
    /// The smallest interval holding `values`, widened by `padding` × its span (never empty).
    static func extent(_ values: [Double], padding: Double = 0) -> (lower: Double, upper: Double) {
        let finite = values.filter(\.isFinite)
        guard var lower = finite.min(), var upper = finite.max() else { return (0, 1) }
        if lower == upper {
            let pad = lower == 0 ? 1 : abs(lower) * 0.1
            return (lower - pad, upper + pad)
        }
        let pad = (upper - lower) * padding
        lower -= pad
        upper += pad
        return (lower, upper)
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
        let width = ChartRenderer.width, height = ChartRenderer.height
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
