import Foundation

/// Where commands write: progress and errors to stderr, results to stdout. Tests capture both.
public final class Console: @unchecked Sendable {
    private let lock = NSLock()
    private let writeOut: @Sendable (String) -> Void
    private let writeErr: @Sendable (String) -> Void

    public init(out: @escaping @Sendable (String) -> Void, err: @escaping @Sendable (String) -> Void) {
        writeOut = out
        writeErr = err
    }

    /// The process's stdout and stderr.
    public static let standard = Console(
        out: { FileHandle.standardOutput.write(Data($0.utf8)) },
        err: { FileHandle.standardError.write(Data($0.utf8)) })

    /// A result line on stdout.
    public func print(_ line: String) { lock.withLock { writeOut(line + "\n") } }
    /// A progress line on stderr.
    public func progress(_ line: String) { lock.withLock { writeErr(line + "\n") } }
    /// `error: <message>` on stderr; `message` already starting with a severity is printed as is.
    public func error(_ message: String) {
        let line = message.hasPrefix("error: ") || message.hasPrefix("warning: ") ? message : "error: " + message
        lock.withLock { writeErr(line + "\n") }
    }
}

/// A console that keeps everything written, for tests.
public final class CapturedConsole: @unchecked Sendable {
    private let lock = NSLock()
    private var outText = ""
    private var errText = ""

    public init() {}

    public var stdout: String { lock.withLock { outText } }
    public var stderr: String { lock.withLock { errText } }

    public var console: Console {
        Console(out: { [self] text in lock.withLock { outText += text } },
                err: { [self] text in lock.withLock { errText += text } })
    }
}
