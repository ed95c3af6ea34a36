import ArgumentParser
import Foundation
import Synchronization
import Notebook

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

            Start a new book with 'loopbook init my-book', then 'loopbook build', and 'loopbook serve' while writing.
            """,
        version: version,
        subcommands: [InitCommand.self, BuildCommand.self, ServeCommand.self, CheckCommand.self, ValidateCommand.self, PdfCommand.self, CleanCommand.self, NewCommand.self]
    )

    public init() {}

    /// Parses the process's arguments and runs the chosen subcommand, exiting with its status.
    ///
    /// The executable calls this rather than `main()`, whose synchronous overload is picked from
    /// top-level code and refuses asynchronous subcommands.
    public static func execute(_ arguments: [String]? = nil) async -> Never {
        // A reader that goes away (`loopbook build | head -1`) must not kill a build before it publishes:
        // writes to a closed pipe then fail with EPIPE, and the console stops printing.
        signal(SIGPIPE, SIG_IGN)
        do {
            var command = try parseAsRoot(arguments)
            // `serve` handles SIGINT, SIGTERM and SIGHUP itself (it cancels its build and stops the server); for the others an
            // interruption must also end the chapter programs, which run in sessions of their own.
            let interruption = command is ServeCommand ? nil : Interruption.trap()
            defer { interruption?.cancel() }
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            Interruption.exitIfInterrupted()
            exit()
        } catch {
            // A build whose chapter programs the interruption killed fails; the interruption is the cause.
            Interruption.exitIfInterrupted()
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
extension ValidateCommand: AsyncParsableCommandWithConsole {}
extension PdfCommand: AsyncParsableCommandWithConsole {}
extension CleanCommand: AsyncParsableCommandWithConsole {}
extension NewCommand: AsyncParsableCommandWithConsole {}
extension InitCommand: AsyncParsableCommandWithConsole {}

/// What an interrupted command does (SIGINT, SIGTERM, SIGHUP): kill the chapter programs it started, which
/// the terminal's Ctrl-C does not reach, then exit with 128 + the signal's number, as the shell expects.
enum Interruption {
    /// The signal that interrupted the command, or 0. Set before the chapter programs are killed, so a
    /// build that fails because of the killing sees it.
    static let received = Atomic<Int32>(0)

    static func trap() -> SignalTrap {
        let signals = [SIGINT, SIGTERM, SIGHUP]
        return SignalTrap(signals: signals) { number in
            received.store(number, ordering: .sequentiallyConsistent)
            Notebook.killRunningPrograms()
            Foundation.exit(128 + number)
        }
    }

    /// Exits with 128 + the signal's number if the command was interrupted.
    static func exitIfInterrupted() {
        let number = received.load(ordering: .sequentiallyConsistent)
        if number != 0 { Foundation.exit(128 + number) }
    }
}
