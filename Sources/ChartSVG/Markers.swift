import BookModel

/// Markers: labelled x positions, drawn as dashed vertical lines and listed in the description and data.
extension ChartContext {
    /// Room above the plot for marker labels.
    var markerSpace: Double { markers.isEmpty ? 0 : 18 }

    /// Dashed vertical lines across the frame at each marker, labelled just above the frame.
    func drawMarkers(_ canvas: inout Canvas, frame: PlotFrame, xScale: LinearScale) {
        for marker in markers {
            let x = xScale(marker.x)
            canvas.line(x, frame.top - 2, x, frame.bottom, class: "marker")
            let half = Canvas.textWidth(marker.label) / 2
            let centre = Swift.min(Swift.max(x, 4 + half), canvas.width - 4 - half)
            canvas.text(centre, frame.top - 6, marker.label, class: "marker-label")
        }
    }

    /// " Marked: <label> at <x label> <x>; …." for the end of the description, or "".
    var markerSentence: String {
        markers.isEmpty ? "" : " Marked: " + markers.map {
            "\($0.label) at \(xLabel ?? "x") \(NumberFormat.compact($0.x))"
        }.joined(separator: "; ") + "."
    }

    /// Sentences for the markers that are not drawn, e.g. "1 marker is not at a finite x (nan) and is not
    /// drawn." or, on a chart without a numeric x axis, "2 markers are not drawn: a bar chart has no
    /// numeric x axis."
    var hiddenMarkerSentences: [String] {
        guard !hiddenMarkers.isEmpty else { return [] }
        let count = hiddenMarkers.count
        let noun = count == 1 ? "1 marker" : "\(count) markers"
        if !showsMarkers {
            return ["\(noun) \(count == 1 ? "is" : "are") not drawn: this kind of chart has no numeric x axis."]
        }
        let kinds = NotFinite.kinds(hiddenMarkers.map(\.x)).joined(separator: ", ")
        return ["\(noun) \(count == 1 ? "is" : "are") not at a finite x (\(kinds)) and \(count == 1 ? "is" : "are") not drawn."]
    }

    /// The markers as a table after the data, if there are any.
    var markerTable: TableSpec? {
        markers.isEmpty ? nil : TableSpec(title: "Markers", columns: [xLabel ?? "x", "marker"], numeric: [true, false],
                                          rows: markers.map { [NumberFormat.compact($0.x), $0.label] })
    }
}
