import Foundation

/// Folders of the source checkout, found from this file's place in it (`Tests/LoopbookTestSupport/`).
/// For inputs read straight from the repository: the book in `Content/`, other targets' fixture books.
public enum TestPaths {
    /// `Tests/`.
    public static let tests = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()

    /// The repository root (the folder holding `Package.swift`).
    public static let repository = tests.deletingLastPathComponent()

    /// `Tests/<target>/`, e.g. `folder(of: "SiteKitTests")`.
    public static func folder(of testTarget: String) -> URL { tests.appendingPathComponent(testTarget) }
}
