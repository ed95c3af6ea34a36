import ArgumentParser
import Foundation

/// Where the book lives: shared by every subcommand through `@OptionGroup`.
public struct ProjectOptions: ParsableArguments, Sendable {
    @Option(name: .long, help: ArgumentHelp("The project folder (holds Content/ and Site/).", valueName: "folder"))
    public var root: String = "."

    @Option(name: .long, help: ArgumentHelp("The chapters folder, relative to the root.", valueName: "folder"))
    public var content: String = "Content"

    @Option(name: .long, help: ArgumentHelp("The site folder, relative to the root.", valueName: "folder"))
    public var output: String = "Site"

    public init() {}

    /// The resolved folders.
    public var layout: ProjectLayout {
        let base = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let rootURL = URL(fileURLWithPath: root, relativeTo: base).standardizedFileURL
        return ProjectLayout(
            root: rootURL,
            content: URL(fileURLWithPath: content, relativeTo: rootURL).standardizedFileURL,
            output: URL(fileURLWithPath: output, relativeTo: rootURL).standardizedFileURL)
    }
}

/// The folders of a project, as absolute URLs.
public struct ProjectLayout: Sendable, Equatable {
    public var root: URL
    public var content: URL
    public var output: URL

    public init(root: URL, content: URL? = nil, output: URL? = nil) {
        self.root = root.standardizedFileURL
        self.content = (content ?? root.appendingPathComponent("Content")).standardizedFileURL
        self.output = (output ?? root.appendingPathComponent("Site")).standardizedFileURL
    }

    /// `.loopbook/` beside Content/: the cache and the last build report.
    public var stateDirectory: URL { root.appendingPathComponent(".loopbook") }
    public var cacheDirectory: URL { stateDirectory.appendingPathComponent("cache") }
    public var buildReport: URL { stateDirectory.appendingPathComponent("last-build.json") }

    /// `url` relative to the root when inside it (for messages), else its absolute path.
    public func display(_ url: URL) -> String {
        let rootPath = root.path.hasSuffix("/") ? root.path : root.path + "/"
        let path = url.standardizedFileURL.path
        if path == root.path { return "." }
        return path.hasPrefix(rootPath) ? String(path.dropFirst(rootPath.count)) : path
    }
}
