@_exported import Learning
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The wire format between a chapter program and the notebook engine.
///
/// Every record is one line on stdout, `\u{1E}LOOPBOOK <nonce> <json>\n`, written after flushing what the
/// chapter printed so far, so text and records keep their order. The nonce comes from the environment
/// variable `LOOPBOOK_NONCE` set by the engine; chapter output cannot forge a record without it.
/// Step boundaries are records too and are also written to stderr, so stderr splits per step.
public enum Channel {
    /// The environment variable carrying the per-run nonce.
    public static let nonceVariable = "LOOPBOOK_NONCE"
    /// The byte that starts every record line (ASCII "record separator").
    public static let marker: UInt8 = 0x1E

    /// What travels in one record line.
    public enum Envelope: Codable, Sendable, Equatable {
        /// Step `index` (1-based, as in the chapter) begins.
        case step(Int)
        /// Every step ran; the program is about to return normally.
        case end
        /// Something the current step produced.
        case record(Record)
    }

    /// The prefix of a record line for `nonce`: the marker byte, `LOOPBOOK`, the nonce and a space.
    public static func prefix(nonce: String) -> [UInt8] {
        [marker] + Array("LOOPBOOK \(nonce) ".utf8)
    }

    static let nonce: String? = ProcessInfo.processInfo.environment[nonceVariable]

    static func send(_ envelope: Envelope, alsoToStderr: Bool = false) {
        guard let nonce else {
            // Run outside the engine (e.g. a reader running the code by hand): print something readable.
            if case let .record(record) = envelope { print(PlainText.render(record)) }
            return
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let json = try? encoder.encode(envelope) else { return }
        var line = prefix(nonce: nonce)
        line.append(contentsOf: json)
        line.append(0x0A)
        // Flush what the chapter printed so far, then write the record directly, so the order holds.
        fflush(nil)
        writeAll(line, to: 1)
        if alsoToStderr { writeAll(line, to: 2) }
    }
}

/// Writes all of `bytes` to the file descriptor, retrying short writes and interruptions.
private func writeAll(_ bytes: [UInt8], to descriptor: Int32) {
    bytes.withUnsafeBytes { buffer in
        var offset = 0
        while offset < buffer.count {
            let written = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                return
            }
            offset += written
        }
    }
}

/// Marks the start of step `index`; the notebook engine emits a call before each step. Not for chapter code.
public func _loopbookBeginStep(_ index: Int) {
    Channel.send(.step(index), alsoToStderr: true)
}

/// Marks the normal end of a chapter program; the notebook engine emits it after the last step.
public func _loopbookEnd() {
    Channel.send(.end, alsoToStderr: true)
}

/// Sends one record for the current step.
public func emit(_ record: Record) {
    Channel.send(.record(record))
}
