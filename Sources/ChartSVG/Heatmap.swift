import BookModel

/// A grid of labelled cells shaded by value (e.g. a confusion matrix), sized to its rows and columns.
struct Heatmap: ChartDrawing {
    var rowLabels: [String]
    var columnLabels: [String]
    var values: [[Double]]

    func draw(_ chart: ChartContext) -> Canvas {
        let rows = max(rowLabels.count, values.count), columns = max(columnLabels.count, values.map(\.count).max() ?? 0)
        let labelWidth = min(160, (rowLabels.map { Canvas.textWidth($0) }.max() ?? 0) + 10)
        let left = 8 + labelWidth + (chart.yLabel == nil ? 0 : 22)
        let top = 12.0
        let columnLabelWidth = (columnLabels.map { Canvas.textWidth($0) }.max() ?? 0) + 10
        let cell = max(18, min(max(64, min(columnLabelWidth, 110)), (ChartImage.width - left - 16) / Double(max(columns, 1)),
                               420 / Double(max(rows, 1))))
        let width = max(240, left + cell * Double(columns) + 16)
        let height = top + cell * Double(rows) + (chart.xLabel == nil ? 30 : 50)
        var canvas = Canvas(width: width, height: height)
        let maxValue = values.flatMap { $0 }.filter(\.isFinite).max() ?? 1
        let fontSize = cell < 30 ? " font-size=\"9\"" : ""
        for row in 0..<rows {
            let y = top + Double(row) * cell
            if row < rowLabels.count {
                canvas.text(left - 6, y + cell / 2 + 4, rowLabels[row], class: "tick", anchor: "end")
            }
            for column in 0..<columns {
                let x = left + Double(column) * cell
                let value = row < values.count && column < values[row].count ? values[row][column] : 0
                let strength = maxValue > 0 && value.isFinite ? min(1, max(0, value / maxValue)) : 0
                let opacity = 0.06 + 0.94 * strength
                canvas.rect(x + 1, y + 1, cell - 2, cell - 2, class: "cell",
                            extra: " fill-opacity=\"\(NumberFormat.fixed(opacity, digits: 2))\"")
                canvas.text(x + cell / 2, y + cell / 2 + 4, NumberFormat.compact(value),
                            class: opacity > 0.55 ? "count on" : "count", extra: fontSize)
            }
        }
        let bottom = top + cell * Double(rows)
        for (column, label) in columnLabels.enumerated() {
            canvas.text(left + (Double(column) + 0.5) * cell, bottom + 16,
                        Canvas.truncated(label, toWidth: cell), class: "tick")
        }
        chart.axisLabels(&canvas, frame: PlotFrame(left: left, top: top, right: left + cell * Double(columns), bottom: bottom - 6))
        return canvas
    }

    func describe(_ chart: ChartContext) -> String {
        "Heatmap of \(rowLabels.count) rows by \(columnLabels.count) columns; values \(range(values.flatMap { $0 }))."
    }

    func notDrawn(_ chart: ChartContext) -> [String] {
        [NotFinite.sentence(values.flatMap { $0.map { [$0] } }, one: "cell", many: "cells",
                            fate: ("is not shaded", "are not shaded"))].compactMap { $0 }
    }

    /// One row a row label, one column a column label; cells outside the values are empty.
    func dataTable(_ chart: ChartContext) -> TableSpec {
        let columns = [""] + columnLabels
        let rows = rowLabels.indices.map { row in
            [rowLabels[row]] + columnLabels.indices.map { column in
                row < values.count && column < values[row].count ? NumberFormat.compact(values[row][column]) : ""
            }
        }
        return TableSpec(columns: columns, numeric: columns.indices.map { $0 > 0 }, rows: rows)
    }
}
