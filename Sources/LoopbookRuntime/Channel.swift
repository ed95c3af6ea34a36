@_exported import Learning
import BookModel
// Chapter code builds charts and tables from these record types; the rest of the book model (chapters,
// steps, results, diagnostics) stays invisible to it.
@_exported import enum BookModel.Record
@_exported import struct BookModel.TableSpec
@_exported import struct BookModel.MetricSpec
@_exported import struct BookModel.FileSpec
@_exported import struct BookModel.CheckSpec
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

    static func send(_ envelope: Wire.Envelope) {
        guard let nonce else {
            // Run outside the engine (a downloaded chapter's `swift run`, or a reader running the code by
            // hand): print something readable; a chart is written to an SVG file whose name is printed.
            if case let .record(record) = envelope {
                if case let .chart(chart) = record {
                    print(StandaloneCharts.write(chart))
                } else {
                    print(PlainText.render(record))
                }
            }
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
        case let .record(.check(check)): what = "the check \"\(check.message)\""
        case .step, .end, .thrown: what = "a step marker"
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
    ThrowSites.install
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

/// Reports where top-level code called what threw, so an uncaught error points at the line of its `try`.
///
/// An error thrown out of top-level code ends the program in `swift_errorInMain`, whose crash backtrace
/// names no chapter line. So the runtime hooks `_swift_willThrow` (called at every `throw`): it finds the
/// outermost return address inside the executable (`main`, the generated program's top-level code, i.e.
/// the `try` in a step), and sends it, relative to the executable's load address, whenever it differs from the last one
/// sent; the engine turns it into a chapter line with the toolchain's `llvm-symbolizer`.
enum ThrowSites {
    private typealias Backtrace = @convention(c) (UnsafeMutablePointer<UnsafeMutableRawPointer?>?, Int32) -> Int32
    private typealias Hook = @convention(c) (UnsafeMutableRawPointer?) -> Void

    private typealias Lookup = @convention(c) (UnsafeRawPointer?, UnsafeMutableRawPointer?) -> Int32
    /// glibc's `Dl_info` (which Swift's Glibc module does not export), filled by `dladdr`.
    private struct SymbolInfo {
        var file: UnsafePointer<CChar>?
        var base: UnsafeRawPointer?
        var name: UnsafePointer<CChar>?
        var address: UnsafeRawPointer?
    }

    nonisolated(unsafe) private static var lastSent = -1
    nonisolated(unsafe) private static var backtrace: Backtrace?
    nonisolated(unsafe) private static var lookup: Lookup?
    /// Where the chapter program (the executable) is loaded.
    nonisolated(unsafe) private static var programBase: UnsafeRawPointer?

    /// Installs the hook (once; only under the engine).
    static let install: Void = {
        guard Channel.nonce != nil,
              let storage = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "_swift_willThrow"),
              let capture = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "backtrace"),
              let find = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "dladdr") else { return }
        backtrace = unsafeBitCast(capture, to: Backtrace.self)
        lookup = unsafeBitCast(find, to: Lookup.self)
        // The executable's program headers (AT_PHDR, 3) lie in its image; `dladdr` gives the image's base.
        typealias AuxiliaryValue = @convention(c) (UInt) -> UInt
        guard let auxiliary = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "getauxval"),
              let headers = UnsafeRawPointer(bitPattern: unsafeBitCast(auxiliary, to: AuxiliaryValue.self)(3)) else { return }
        var info = SymbolInfo()
        guard lookup?(headers, &info) != 0 else { return }
        programBase = info.base
        let hook: Hook = { _ in ThrowSites.record() }
        storage.storeBytes(of: hook, as: Hook?.self)
    }()

    private static func record() {
        guard let backtrace, let lookup, let programBase else { return }
        var frames = [UnsafeMutableRawPointer?](repeating: nil, count: 64)
        let count = Int(backtrace(&frames, 64))
        // The executable's frames, innermost first: the outermost is `_start` (when the stack was captured
        // whole), the one before it `main`, the top-level code, where the `try` is. (`main` is not a dynamic
        // symbol, so `dladdr` cannot name it.)
        var sites: [UnsafeRawPointer] = []
        for frame in frames.prefix(count) {
            guard let frame else { continue }
            var info = SymbolInfo()
            if lookup(frame, &info) != 0, info.base == programBase { sites.append(UnsafeRawPointer(frame)) }
        }
        if count < frames.count, sites.count >= 2 { sites.removeLast() }
        guard let site = sites.last else { return }
        // The return address follows the call; one byte back is inside the call, on the `try`'s line.
        let offset = site - 1 - programBase
        if offset != lastSent {
            lastSent = offset
            Channel.send(.thrown(offset: offset))
        }
    }
}
