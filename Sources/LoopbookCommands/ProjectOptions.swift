import ArgumentParser
import Foundation
import LoopbookBuild

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
