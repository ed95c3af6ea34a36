// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "Loopbook",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "loopbook", targets: ["loopbook"]),
        .library(name: "Learning", targets: ["Learning"]),
        // Chapter programs link this one shared library (Learning + LoopbookRuntime);
        // the notebook engine compiles each chapter with swiftc against it.
        .library(name: "LoopbookKit", type: .dynamic, targets: ["BookModel", "ChartSVG", "Learning", "LoopbookRuntime"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        // Downloadable chapters: each is a .zip (deflate through the system's zlib: Debian zlib1g-dev).
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
    ],
    targets: [
        // The book's value types: chapters, steps, results, output records, diagnostics, the record wire
        // format and the one number formatter. No dependencies; shared by the runtime, the engine and the site.
        .target(name: "BookModel"),
        // The model library: numpy-compatible RNG, tables + CSV, split, trees, forests, metrics, feedback loop.
        .target(name: "Learning"),
        // Linked into chapter programs: show(...), publish(key, value), output records, chart specs.
        // Charts as SVG: the site's figures, and the .svg files a downloaded chapter writes when run by itself.
        .target(name: "ChartSVG", dependencies: ["BookModel"]),
        .target(name: "LoopbookRuntime", dependencies: ["BookModel", "ChartSVG", "Learning"]),
        // The sources of BookModel, ChartSVG, Learning and LoopbookRuntime, embedded in the tool by the
        // EmbedLibrarySources plugin, so a downloaded chapter's package can build them without this repository.
        .target(name: "LibrarySources", plugins: ["EmbedLibrarySources"]),
        .plugin(name: "EmbedLibrarySources", capability: .buildTool()),
        // The system's cmark-gfm (Debian: libcmark-gfm-dev + libcmark-gfm-extensions-dev).
        .systemLibrary(name: "CCmarkGFM", pkgConfig: "libcmark-gfm",
                       providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]),
        // The only Swift code that touches cmark: blocks with line ranges, prose to HTML.
        .target(name: "Markdown", dependencies: ["CCmarkGFM"]),
        // Chapters and steps, program generation, compile + run, capture, cache.
        .target(name: "Notebook", dependencies: [
            "BookModel", "Markdown",
            .product(name: "Yams", package: "Yams"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // Pages, highlighting, SVG charts, search index, atomic publishing.
        .target(name: "SiteKit", dependencies: ["BookModel", "ChartSVG", "Markdown", .product(name: "Crypto", package: "swift-crypto")],
                // The stylesheet and script, compiled into the binary as `PackageResources.style_css` etc.
                resources: [.embedInCode("Resources/style.css"), .embedInCode("Resources/site.js")]),
        // epoll(7) for the dev server's event loop (Swift's Glibc module does not export <sys/epoll.h>).
        .target(name: "CEpoll"),
        // Static files + live reload; knows nothing of notebooks.
        .target(name: "DevServer", dependencies: ["CEpoll"]),
        // Builds a book: load → execute → render → publish, with progress events and typed diagnostics;
        // the serve loop (watch, cancel, rebuild, reload). Used by build, check and serve.
        .target(name: "LoopbookBuild", dependencies: ["BookModel", "Notebook", "SiteKit", "DevServer", "LibrarySources",
                                                      .product(name: "Crypto", package: "swift-crypto"),
                                                      .product(name: "ZIPFoundation", package: "ZIPFoundation")]),
        // The commands (thin: parse options, call the build library, print).
        .target(name: "LoopbookCommands", dependencies: [
            "LoopbookBuild",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "loopbook", dependencies: ["LoopbookCommands"]),

        .executableTarget(name: "learning-bench", dependencies: ["Learning"], path: "Benchmarks/LearningBench"),
        .executableTarget(name: "notebook-bench", dependencies: ["BookModel", "Notebook"], path: "Benchmarks/NotebookBench"),
        .executableTarget(name: "markdown-bench", dependencies: ["Markdown", "CCmarkGFM", "SiteKit", "BookModel"],
                          path: "Benchmarks/MarkdownBench"),
        .executableTarget(name: "book-bench", path: "Benchmarks/BookBench"),
        .executableTarget(name: "server-bench", path: "Benchmarks/ServerBench"),

        // One copy of what the test targets share: SplitMix64, the raw HTTP client, temporary folders, onThread,
        // the fuzz settings and watchdog, headless Chromium, and a clock of the time the task threads could run
        // (for waits that are fair on busy cores). Foundation only, so every test target can use it.
        .target(name: "LoopbookTestSupport", path: "Tests/LoopbookTestSupport"),
        .testTarget(name: "LearningTests", dependencies: ["Learning", "LoopbookTestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "MarkdownTests", dependencies: ["Markdown", "LoopbookTestSupport"]),
        .testTarget(name: "NotebookTests", dependencies: ["BookModel", "LoopbookRuntime", "Notebook", "LoopbookTestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "SiteKitTests", dependencies: ["BookModel", "ChartSVG", "LoopbookRuntime", "Notebook", "SiteKit", "LoopbookTestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "DevServerTests", dependencies: ["DevServer", "LoopbookTestSupport"]),
        .testTarget(name: "LoopbookCommandsTests", dependencies: ["BookModel", "LoopbookBuild", "LoopbookCommands", "LoopbookTestSupport", "SiteKit",
                                                               "Notebook", .product(name: "Crypto", package: "swift-crypto"),
                                                               .product(name: "ZIPFoundation", package: "ZIPFoundation")],
                    resources: [.copy("Fixtures")]),
    ]
)
