import ArgumentParser
import Foundation
import BookModel
import LoopbookBuild

/// Where the book lives: shared by every subcommand through `@OptionGroup`.
public struct ProjectOptions: ParsableArguments, Sendable {
    @Option(name: .long, help: ArgumentHelp("The project folder (holds Content/ and Site/).", valueName: "folder"))
    public var root: String = "."

    @Option(name: .long, help: ArgumentHelp("The chapters folder, relative to the root.", valueName: "folder"))
    public var content: String = "Content"

    @Option(name: .long, help: ArgumentHelp("The site folder, relative to the root (default: Site, or Site-teacher for the teacher edition).", valueName: "folder"))
    public var output: String?

    public init() {}

    /// The resolved folders (the student edition's site folder).
    public var layout: ProjectLayout { layout(edition: .student) }

    /// The resolved folders for `edition`: without `--output`, the teacher edition goes to `Site-teacher/`,
    /// so solutions never land in the `Site/` students read by accident.
    public func layout(edition: Edition) -> ProjectLayout {
        let output = output ?? (edition == .teacher ? "Site-teacher" : "Site")
        let base = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let rootURL = URL(fileURLWithPath: root, relativeTo: base).standardizedFileURL
        return ProjectLayout(
            root: rootURL,
            content: URL(fileURLWithPath: content, relativeTo: rootURL).standardizedFileURL,
            output: URL(fileURLWithPath: output, relativeTo: rootURL).standardizedFileURL)
    }
}
