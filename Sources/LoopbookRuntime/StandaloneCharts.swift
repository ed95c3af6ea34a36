import BookModel
import ChartSVG
import Foundation

/// Charts of a chapter program run outside the notebook engine (a downloaded chapter's `swift run`): each
/// is written to an SVG file in the current folder, numbered in the order shown, e.g. `chart-1-depth-sweep.svg`.
enum StandaloneCharts {
    nonisolated(unsafe) private static var count = 0

    /// Writes `chart` and returns the line to print: `Chart "Depth sweep" written to chart-1-depth-sweep.svg`,
    /// or the reason it could not be written.
    static func write(_ chart: ChartSpec) -> String {
        count += 1
        let name = fileName(number: count, title: chart.title)
        let document = ChartImage(spec: chart, id: "chart-\(count)").standaloneDocument()
        do {
            try Data(document.utf8).write(to: URL(fileURLWithPath: name))
            return "Chart \"\(chart.title)\" written to \(name)"
        } catch {
            return "Chart \"\(chart.title)\" could not be written to \(name): \(error.localizedDescription)"
        }
    }

    /// `chart-<number>-<title in lower-case letters and digits, joined by ->.svg`, at most 60 characters of title.
    static func fileName(number: Int, title: String) -> String {
        var slug = ""
        for scalar in title.lowercased().unicodeScalars {
            if scalar.isASCII, scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) {
                slug.unicodeScalars.append(scalar)
            } else if !slug.isEmpty, !slug.hasSuffix("-") {
                slug += "-"
            }
        }
        while slug.hasSuffix("-") { slug.removeLast() }
        slug = String(slug.prefix(60))
        while slug.hasSuffix("-") { slug.removeLast() }
        return slug.isEmpty ? "chart-\(number).svg" : "chart-\(number)-\(slug).svg"
    }
}
