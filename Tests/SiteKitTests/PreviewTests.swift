import BookModel
import Foundation
import Testing
@testable import SiteKit

/// Writes the fixture site to `$SITEKIT_PREVIEW` (if set) for looking at it in a browser, plus
/// `gallery.html` / `gallery-dark.html` showing every chart kind side by side.
@Test func writePreviewWhenAsked() throws {
    guard let directory = ProcessInfo.processInfo.environment["SITEKIT_PREVIEW"] else { return }
    let files = try SiteRenderer(book: FixtureBook.info).render(FixtureBook.chapters)
    let report = try Publisher.publish(files, to: URL(fileURLWithPath: directory))
    print("preview: \(report.written) written, \(report.unchanged) unchanged, \(report.removed) removed")
    for theme in ["light", "dark"] {
        var html = "<!doctype html><html data-theme=\"\(theme)\"><head><meta charset=\"utf-8\">"
            + "<link rel=\"stylesheet\" href=\"assets/style.css\"><style>body{display:grid;grid-template-columns:1fr 1fr;gap:1rem;padding:1rem}</style></head><body>"
        for (index, spec) in FixtureBook.chartSpecs.enumerated() {
            html += ChartRenderer(spec: spec, id: "chart-\(index)").figure()
        }
        html += "</body></html>"
        let name = theme == "light" ? "gallery.html" : "gallery-dark.html"
        try html.write(toFile: directory + "/" + name, atomically: true, encoding: .utf8)
    }
}
