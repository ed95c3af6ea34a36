import Foundation
import LoopbookBuild
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Where commands write: progress and errors to stderr, results to stdout. Tests capture both.
///
/// Everything printed goes through `TerminalText.escaped`, so text from a chapter (a step's output, a
/// compiler message quoting the code, a file name) can never move the cursor, recolour, retitle or
/// clear the terminal. A reader that goes away (`loopbook build | head -1`) stops the printing, never
/// the build.
public final class Console: Sendable {
    private let writeOut: @Sendable (String) -> Void
    private let writeErr: @Sendable (String) -> Void
    private let lock = Mutex<Void>(())

    public init(out: @escaping @Sendable (String) -> Void, err: @escaping @Sendable (String) -> Void) {
        writeOut = out
        writeErr = err
    }

    /// The process's stdout and stderr, written with `write(2)`: when the reader has gone (EPIPE, with
    /// SIGPIPE ignored) that stream is dropped and the command goes on.
    public static let standard = Console(
        out: { StandardStream.output.write($0) },
        err: { StandardStream.error.write($0) })

    /// A result line on stdout.
    public func print(_ line: String) { emit(line, to: writeOut) }
    /// A progress line on stderr.
    public func progress(_ line: String) { emit(line, to: writeErr) }

    /// `error: <sentence>` on stderr.
    public func error(_ message: String) { emit("error: " + message, to: writeErr) }

    /// `error: <file>:<line>:<col>: <sentence>` on stderr, followed by the step's output so far, indented.
    public func error(_ issue: BuildIssue) {
        var text = "error: " + issue.description
        if let output = issue.output {
            let lines = output.split(separator: "\n", omittingEmptySubsequences: false).map { "    | \($0)" }
            text += "\n    output so far:\n" + lines.joined(separator: "\n")
        }
        emit(text, to: writeErr)
    }

    private func emit(_ text: String, to write: @Sendable (String) -> Void) {
        let line = TerminalText.escaped(text) + "\n"
        lock.withLock { _ in write(line) }
    }
}

/// Text made safe for a terminal: newlines and tabs are kept; every other control character is shown
/// in caret notation (`ESC` as `^[`, `BEL` as `^G`, `CR` as `^M`, `DEL` as `^?`), C1 controls as `<U+009B>`,
/// and the bidirectional overrides and isolates that can reorder what a line appears to say as
/// `<U+202E>` — as `cat -v`, git and cargo show such bytes.
public enum TerminalText {
    public static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars {
            guard needsEscape(scalar) else { result.unicodeScalars.append(scalar); continue }
            switch scalar.value {
            case 0x00...0x1F: result += "^" + String(Character(Unicode.Scalar(UInt8(scalar.value + 0x40))))
            case 0x7F: result += "^?"
            default: result += "<U+" + hex(scalar.value) + ">"
            }
        }
        return result
    }

    static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0A, 0x09: false
        case 0x00...0x1F, 0x7F...0x9F: true
        case 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }

    private static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}

/// stdout or stderr, written with `write(2)`; once a write fails with EPIPE (the reader is gone) the
/// stream is closed for good and later writes are dropped.
final class StandardStream: Sendable {
    static let output = StandardStream(descriptor: 1)
    static let error = StandardStream(descriptor: 2)

    private let descriptor: Int32
    private let closed = Atomic<Bool>(false)

    private init(descriptor: Int32) { self.descriptor = descriptor }

    func write(_ text: String) {
        guard !closed.load(ordering: .relaxed) else { return }
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes { buffer in
                Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
            }
            if written < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                closed.store(true, ordering: .relaxed)   // EPIPE and other failures: stop printing
                return
            }
            offset += written
        }
        bytes.removeAll()
    }
}

/// A console that keeps everything written, for tests.
public final class CapturedConsole: Sendable {
    private let text = Mutex<(out: String, err: String)>(("", ""))

    public init() {}

    public var stdout: String { text.withLock { $0.out } }
    public var stderr: String { text.withLock { $0.err } }

    public var console: Console {
        Console(out: { [self] line in text.withLock { $0.out += line } },
                err: { [self] line in text.withLock { $0.err += line } })
    }
}
