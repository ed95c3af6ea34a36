import BookModel
import Foundation
import Notebook

// notebook-bench: builds a generated 8-chapter book and times cold build, no-op rebuild, one-step edit
// and prose-only edit (medians over a few runs). Usage: notebook-bench [runs] (default 3).
// The library is found as for `loopbook`: LOOPBOOK_LIBRARY_DIR or the folder of this executable.

let runs = CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 3
let fileManager = FileManager.default

func chapterText(_ number: Int, variant: Int, prose: Int) -> String {
    var text = """
        ---
        title: Chapter \(number)
        \(number > 1 ? "depends-on: [01-data]" : "")
        ---
        # Chapter \(number)

        Prose revision \(prose). The model learns from its mistakes.

        """
    for step in 1...4 {
        text += """

            ```swift
            let values\(step) = (0..<\(200 + variant)).map { Double(($0 * \(step + number)) % 97) / 97.0 }
            let mean\(step) = values\(step).reduce(0, +) / Double(values\(step).count)
            print("step \(step) mean", mean\(step))
            show(values\(step).prefix(5).map { (value: $0, squared: $0 * $0) }, title: "Values")
            publish("mean\(step)", mean\(step))
            ```

            Some prose between steps: {{ mean\(step) }}.

            """
    }
    if number == 1 {
        text += "\n```swift\ntry! \"a,b\\n1,2\\n\".write(toFile: \"sample.csv\", atomically: true, encoding: .utf8)\n```\n"
        text = text.replacingOccurrences(of: "---\n# Chapter 1", with: "---\n# Chapter 1\n\n```swift hidden\nimport Foundation\n```\n")
    }
    return text
}

func write(_ root: URL, variant: [Int: Int] = [:], prose: [Int: Int] = [:]) throws {
    let content = root.appendingPathComponent("Content")
    try fileManager.createDirectory(at: content, withIntermediateDirectories: true)
    for number in 1...8 {
        let name = number == 1 ? "01-data.md" : String(format: "%02d-chapter.md", number)
        let text = chapterText(number, variant: variant[number] ?? 0, prose: prose[number] ?? 0)
        let url = content.appendingPathComponent(name)
        if (try? String(contentsOf: url, encoding: .utf8)) != text { try text.write(to: url, atomically: true, encoding: .utf8) }
    }
}

func build(_ root: URL, moduleCache: URL) async throws -> (Double, NotebookReport) {
    let notebook = Notebook(projectRoot: root, options: NotebookOptions(moduleCacheDirectory: moduleCache))
    let start = DispatchTime.now().uptimeNanoseconds
    let report = try await notebook.run()
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    guard report.succeeded else {
        throw NSError(domain: "bench", code: 1, userInfo: [NSLocalizedDescriptionKey: report.diagnostics.map(\.descriptionWithOutput).joined(separator: "\n")])
    }
    return (seconds, report)
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

let base = fileManager.temporaryDirectory.appendingPathComponent("notebook-bench-\(getpid())")
let moduleCache = base.appendingPathComponent("module-cache")
var cold: [Double] = [], noop: [Double] = [], stepEdit: [Double] = [], proseEdit: [Double] = []
do {
    for run in 0..<runs {
        let root = base.appendingPathComponent("book\(run)")
        try write(root)
        let (coldTime, report) = try await build(root, moduleCache: moduleCache)
        if run == 0 {
            print("chapters: \(report.outcomes.map { "\($0.slug) \($0.summary)" }.joined(separator: "; "))")
        }
        cold.append(coldTime)
        noop.append(try await build(root, moduleCache: moduleCache).0)
        try write(root, variant: [5: run + 1])
        let (stepTime, stepReport) = try await build(root, moduleCache: moduleCache)
        stepEdit.append(stepTime)
        if run == 0 { print("after one-step edit: \(stepReport.outcomes.filter { $0.status != .cached }.map { "\($0.slug) \($0.summary)" })") }
        try write(root, variant: [5: run + 1], prose: [3: run + 1])
        proseEdit.append(try await build(root, moduleCache: moduleCache).0)
    }
    try? fileManager.removeItem(at: base)
    func line(_ name: String, _ values: [Double], target: Double?) -> String {
        let range = String(format: "%.3f–%.3f", values.min() ?? 0, values.max() ?? 0)
        let targetText = target.map { String(format: "target ≤ %.1f s (%@)", $0, median(values) <= $0 ? "met" : "missed") } ?? ""
        let label = name.padding(toLength: 16, withPad: " ", startingAt: 0)
        return label + String(format: "median %.3f s  range ", median(values)) + range + " s  " + targetText
    }
    print("8-chapter book, \(runs) runs, \(ProcessInfo.processInfo.activeProcessorCount) cores")
    print(line("cold build", cold, target: nil))
    print(line("no-op rebuild", noop, target: 0.2))
    print(line("one-step edit", stepEdit, target: 1.5))
    print(line("prose-only edit", proseEdit, target: 0.3))
} catch {
    try? fileManager.removeItem(at: base)
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(1)
}
