import ArgumentParser
import Foundation

/// `loopbook clean`: forget the last build report and, with `--cache`, every cached result.
public struct CleanCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "clean",
        abstract: "Remove the build report, and with --cache the cached chapter results.",
        discussion: """
            The site folder is kept (it is the book's published output). After 'clean --cache' the next \
            build compiles and runs every chapter again.
            """)

    @OptionGroup public var project: ProjectOptions

    @Flag(name: .long, help: "Also remove .loopbook/cache, so every chapter runs again.")
    public var cache = false

    public init() {}

    public func run() async throws {
        try await perform(console: .standard)
    }

    public func perform(console: Console) async throws {
        let layout = project.layout
        var targets = [layout.buildReport]
        if cache { targets.append(layout.cacheDirectory) }
        var failed = false
        for target in targets where FileManager.default.fileExists(atPath: target.path) {
            do {
                try FileManager.default.removeItem(at: target)
                console.progress("Removed \(layout.display(target)).")
            } catch {
                console.error("\(layout.display(target)) could not be removed: \(error.localizedDescription)")
                failed = true
            }
        }
        if failed { throw ExitCode.failure }
    }
}
