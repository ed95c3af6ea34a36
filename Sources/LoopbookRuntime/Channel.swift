@_exported import Learning
import BookModel
// Chapter code builds charts and tables from these record types; the rest of the book model (chapters,
// steps, results, diagnostics) stays invisible to it.
@_exported import enum BookModel.Record
@_exported import struct BookModel.TableSpec
@_exported import struct BookModel.MetricSpec
@_exported import struct BookModel.FileSpec
@_exported import struct BookModel.ChartSpec
@_exported import struct BookModel.ChartMarker
@_exported import struct BookModel.LineSeries
@_exported import struct BookModel.Point
@_exported import struct BookModel.BandPoint
@_exported import struct BookModel.BarSeries
@_exported import struct BookModel.HistogramBin
@_exported import struct BookModel.ScatterPoint
@_exported import struct BookModel.TreeNode
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
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let json = try? encoder.encode(envelope) else { return }
        var line = Wire.prefix(nonce: nonce)
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
