import ArgumentParser

/// The `loopbook` command: build, serve, check, clean and start chapters of a literate Swift book.
public struct Loopbook: AsyncParsableCommand {
    /// The tool's version, printed by `loopbook --version`.
    public static let version = "0.1.0"

    public static let configuration = CommandConfiguration(
        commandName: "loopbook",
        abstract: "Turn Markdown chapters with Swift steps into a website whose numbers come from running code.",
        discussion: """
            A book is a folder with Content/NN-slug.md chapters. Every ```swift step is compiled and run \
            when the book is built (as Jupyter and Quarto do), its output is shown under the code, and the \
            site is written to Site/. Results are cached by content, so only chapters whose code changed \
            run again.

            Building the book executes its code with your permissions: only build books you trust.

            Start with 'loopbook build', then 'loopbook serve' while writing.
            """,
        version: version,
        subcommands: [BuildCommand.self, ServeCommand.self, CheckCommand.self, CleanCommand.self, NewCommand.self]
    )

    public init() {}

    /// Parses the process's arguments and runs the chosen subcommand, exiting with its status.
    ///
    /// The executable calls this rather than `main()`, whose synchronous overload is picked from
    /// top-level code and refuses asynchronous subcommands.
    public static func execute(_ arguments: [String]? = nil) async -> Never {
        do {
            var command = try parseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            exit()
        } catch {
            exit(withError: error)
        }
    }
}

/// A subcommand that can run with its output captured (tests call `perform(console:)` in-process).
public protocol AsyncParsableCommandWithConsole: AsyncParsableCommand {
    func perform(console: Console) async throws
}

extension BuildCommand: AsyncParsableCommandWithConsole {}
extension ServeCommand: AsyncParsableCommandWithConsole {}
extension CheckCommand: AsyncParsableCommandWithConsole {}
extension CleanCommand: AsyncParsableCommandWithConsole {}
extension NewCommand: AsyncParsableCommandWithConsole {}
