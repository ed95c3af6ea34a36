import Foundation

/// The Swift sources a chapter program builds on — the modules `BookModel`, `ChartSVG`, `Learning` and
/// `LoopbookRuntime` — as they were when this tool was built (the `EmbedLibrarySources` plugin embeds them).
/// A downloaded chapter's package ships them, so it builds with nothing but Swift.
public enum LibrarySources {
    /// The module names, in dependency order (each depends only on modules before it).
    public static let modules = ["BookModel", "ChartSVG", "Learning", "LoopbookRuntime"]

    /// What each module imports of the others (for the package manifest of a downloaded chapter).
    public static let dependencies: [String: [String]] = [
        "BookModel": [], "ChartSVG": ["BookModel"], "Learning": [],
        "LoopbookRuntime": ["BookModel", "ChartSVG", "Learning"],
    ]

    /// Every file: its path relative to the package's `Sources/` (e.g. "Learning/Tree/DecisionTree.swift")
    /// and its bytes, sorted by path.
    public static let files: [(path: String, contents: [UInt8])] = encoded.map { entry in
        guard let data = Data(base64Encoded: entry.base64) else {
            fatalError("LibrarySources: the embedded copy of \(entry.path) is not valid base64; rebuild the tool.")
        }
        return (entry.path, [UInt8](data))
    }.sorted { $0.path < $1.path }
}
