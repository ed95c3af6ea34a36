@_exported import Learning
import BookModel
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Sends records to the notebook engine in the format `Wire` describes.
enum Channel {
    static let nonce: String? = ProcessInfo.processInfo.environment[Wire.nonceVariable]

    static func send(_ envelope: Wire.Envelope) {
        guard let nonce else {
            // Run outside the engine (e.g. a reader running the code by hand): print something readable.
            if case let .record(record) = envelope { print(PlainText.render(record)) }
            return
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let json = try? encoder.encode(envelope) else { return }
        var line = Wire.prefix(nonce: nonce)
        line.append(contentsOf: json)
        line.append(0x0A)
        // Flush what the chapter printed so far, then write the record directly, so the order holds.
        fflush(nil)
        reportLostOutput()
        writeAll(line, to: 1)
    }

    /// Says on stderr when the C library failed to write some of stdout (a single write larger than the
    /// engine's output channel accepts, see `OrderedStreams` in the engine), so the loss is not silent.
    static func reportLostOutput() {
        // The C library's `stdout` (read through its symbol: Swift 6 refuses the mutable global).
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "stdout"),
              let file = symbol.load(as: UnsafeMutablePointer<FILE>?.self), ferror(file) != 0 else { return }
        clearerr(file)
        let message = "loopbook: some output to stdout was lost: one write was larger than the output channel accepts (\(String(cString: strerror(EMSGSIZE)))); print large texts in parts.\n"
        writeAll(Array(message.utf8), to: 2)
    }
}

/// Writes all of `bytes` to the file descriptor in pieces of at most 32 KB (each piece is one datagram
/// for the engine), retrying short writes and interruptions.
private func writeAll(_ bytes: [UInt8], to descriptor: Int32) {
    bytes.withUnsafeBytes { buffer in
        var offset = 0
        while offset < buffer.count {
            let written = write(descriptor, buffer.baseAddress! + offset, min(buffer.count - offset, 32 << 10))
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
    Channel.send(.step(index))
}

/// Marks the normal end of a chapter program; the notebook engine emits it after the last step.
public func _loopbookEnd() {
    Channel.send(.end)
}

/// Sends one record for the current step.
public func emit(_ record: Record) {
    Channel.send(.record(record))
}
