@_exported import Learning
@_exported import BookModel  // chapter code names the chart types (LineSeries, BarSeries, ChartMarker, …)
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Sends records to the notebook engine in the format `Wire` describes.
enum Channel {
    static let nonce: String? = ProcessInfo.processInfo.environment[Wire.nonceVariable]

    static func send(_ envelope: Wire.Envelope, alsoToStderr: Bool = false) {
        guard let nonce else {
            // Run outside the engine (e.g. a reader running the code by hand): print something readable.
            if case let .record(record) = envelope { print(PlainText.render(record)) }
            return
        }
        let line: [UInt8]
        do {
            line = try Self.line(envelope, nonce: nonce)
        } catch {
            // Never drop what the chapter shows: stop the program, so the engine reports the step (its
            // line comes from the crash backtrace) with this message, after what it printed so far.
            fflush(nil)
            fatalError(Self.failureMessage(envelope, error: error))
        }
        // Flush what the chapter printed so far, then write the record directly, so the order holds.
        fflush(nil)
        writeAll(line, to: 1)
        if alsoToStderr { writeAll(line, to: 2) }
    }
}

extension Channel {
    /// One record line: the prefix, the envelope as JSON, a newline.
    static func line(_ envelope: some Encodable, nonce: String) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let json = try encoder.encode(envelope)
        var line = Wire.prefix(nonce: nonce)
        line.append(contentsOf: json)
        line.append(0x0A)
        return line
    }

    /// "could not send the chart \"Loss\" to the notebook engine: …" for a record that cannot be encoded.
    static func failureMessage(_ envelope: Wire.Envelope, error: any Error) -> String {
        let what: String
        switch envelope {
        case let .record(.chart(chart)): what = "the chart \"\(chart.title)\""
        case let .record(.table(table)): what = table.title.map { "the table \"\($0)\"" } ?? "a table"
        case let .record(.metric(metric)): what = "the metric \"\(metric.name)\""
        case let .record(.value(key, _)): what = "the value \"\(key)\""
        case let .record(.file(file)): what = "the file \"\(file.path)\""
        case .step, .end: what = "a step marker"
        }
        let reason: String
        if case let EncodingError.invalidValue(value, context) = error {
            let path = context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
            reason = "\(value) at \(path.isEmpty ? "the top" : path) cannot be written as JSON (\(context.debugDescription))"
        } else {
            reason = String(describing: error)
        }
        return "could not send \(what) to the notebook engine: \(reason)."
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
