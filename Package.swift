// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "Loopbook",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "loopbook", targets: ["loopbook"]),
        .library(name: "Learning", targets: ["Learning"]),
        // Chapter programs link this one shared library (Learning + LoopbookRuntime);
        // the notebook engine compiles each chapter with swiftc against it.
        .library(name: "LoopbookKit", type: .dynamic, targets: ["Learning", "LoopbookRuntime"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/swhitty/FlyingFox", from: "0.27.1"),
    ],
    targets: [
        // The model library: numpy-compatible RNG, tables + CSV, split, trees, forests, metrics, feedback loop.
        .target(name: "Learning"),
        // Linked into chapter programs: show(...), publish(key, value), output records, chart specs.
        .target(name: "LoopbookRuntime", dependencies: ["Learning"]),
        // The system's cmark-gfm (Debian: libcmark-gfm-dev + libcmark-gfm-extensions-dev).
        .systemLibrary(name: "CCmarkGFM", pkgConfig: "libcmark-gfm",
                       providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]),
        // The only Swift code that touches cmark: blocks with line ranges, prose to HTML.
        .target(name: "Markdown", dependencies: ["CCmarkGFM"]),
        // Chapters and steps, program generation, compile + run, capture, cache.
        .target(name: "Notebook", dependencies: [
            "Markdown", "LoopbookRuntime",
            .product(name: "Yams", package: "Yams"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // Pages, highlighting, SVG charts, search index, atomic publishing.
        .target(name: "SiteKit", dependencies: ["Notebook", "Markdown"]),
        // Static files + live reload; knows nothing of notebooks.
        .target(name: "DevServer", dependencies: [.product(name: "FlyingFox", package: "FlyingFox")]),
        // The commands (thin: parse options, call the library targets).
        .target(name: "LoopbookCommands", dependencies: [
            "Notebook", "SiteKit", "DevServer",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "loopbook", dependencies: ["LoopbookCommands"]),

        .executableTarget(name: "learning-bench", dependencies: ["Learning"], path: "Benchmarks/LearningBench"),
        .executableTarget(name: "notebook-bench", dependencies: ["Notebook"], path: "Benchmarks/NotebookBench"),
        .executableTarget(name: "markdown-bench", dependencies: ["Markdown", "CCmarkGFM"], path: "Benchmarks/MarkdownBench"),
        .executableTarget(name: "book-bench", path: "Benchmarks/BookBench"),

        .testTarget(name: "LearningTests", dependencies: ["Learning"], resources: [.copy("Fixtures")]),
        .testTarget(name: "MarkdownTests", dependencies: ["Markdown"]),
        .testTarget(name: "NotebookTests", dependencies: ["Notebook"], resources: [.copy("Fixtures")]),
        .testTarget(name: "SiteKitTests", dependencies: ["SiteKit"], resources: [.copy("Fixtures")]),
        .testTarget(name: "DevServerTests", dependencies: ["DevServer"]),
        .testTarget(name: "LoopbookCommandsTests", dependencies: ["LoopbookCommands"], resources: [.copy("Fixtures")]),
    ]
)
