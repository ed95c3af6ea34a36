import Foundation
import BookModel

/// Splits a chapter program's output into per-step outputs, as it arrives.
///
/// It is fed the program's stdout and stderr writes in the order they were made (`OrderedStreams`), so
/// text keeps its interleaving: consecutive writes to one stream form one text output. Record lines
/// (`\u{1E}LOOPBOOK <nonce> <json>\n`) are recognised anywhere in either stream; everything else is text.
///
/// Caps: each step keeps at most `cap` bytes of text per stream, and the whole chapter at most
/// `chapterCap` bytes of text; the rest is counted, not kept, and a `.truncated` note stands where the
/// step's text was first cut, saying how many bytes were cut in that step. Records (tables, charts,
/// values, ...) are never dropped by a cap: they are small, and the prose and the page depend on them.
final class OutputCollector {
    enum Stream: Int { case stdout, stderr }

    private let prefix: [UInt8]
    private let cap: Int
    private let chapterCap: Int
    /// Per stream: bytes not yet split into text and records (a record line may arrive in pieces).
    private var pending: [[UInt8]] = [[], []]
    private var text: [UInt8] = []
    private var textStream = Stream.stdout
    /// Text bytes kept, per step and stream.
    private var kept: [Int: [Int]] = [:]
    private var keptInChapter = 0
    /// Per step: text bytes dropped, and where its truncation note stands in its outputs.
    private var dropped: [Int: (bytes: Int, note: Int)] = [:]
    private(set) var outputs: [Int: [StepOutput]] = [:]
    /// The step that was running last (the latest step marker seen), 0 before the first.
    private(set) var currentStep = 0
    /// The step markers in the order they arrived.
    private(set) var startedSteps: [Int] = []
    /// Whether the program reported that every step ran.
    private(set) var ended = false
    /// Where top-level code last called something that threw (an address in the program, see `Wire`).
    private(set) var lastThrowSite: Int?
    /// The first record line that carried the nonce but could not be read: the step, and why. Only the
    /// runtime knows the nonce, so this means the tool and libLoopbookKit disagree; never dropped silently.
    private(set) var unreadableRecord: (step: Int, reason: String)?

    /// `cap`: text bytes per step and stream; `chapterCap`: text bytes in all (default 4 × `cap`).
    init(nonce: String, cap: Int, chapterCap: Int? = nil) {
        self.prefix = Wire.prefix(nonce: nonce)
        self.cap = cap
        self.chapterCap = chapterCap ?? Self.chapterCap(forStepCap: cap)
    }

    /// The text a whole chapter keeps when each step keeps `cap` bytes per stream.
    static func chapterCap(forStepCap cap: Int) -> Int { cap.multipliedReportingOverflow(by: 4).overflow ? .max : cap * 4 }

    func feed(_ chunk: UnsafeRawBufferPointer, from stream: Stream) {
        pending[stream.rawValue].append(contentsOf: chunk.bindMemory(to: UInt8.self))
        process(stream, final: false)
    }

    /// The index of the first `byte` in `bytes[from...]` (memchr: fast even in debug builds).
    private static func find(_ byte: UInt8, in bytes: [UInt8], from: Int) -> Int? {
        guard from < bytes.count else { return nil }
        return bytes.withUnsafeBufferPointer { buffer -> Int? in
            guard let found = memchr(buffer.baseAddress! + from, Int32(byte), buffer.count - from) else { return nil }
            return buffer.baseAddress!.distance(to: found.assumingMemoryBound(to: UInt8.self))
        }
    }

    /// Call once the program ended: whatever is left is text.
    func finish() {
        process(.stdout, final: true)
        process(.stderr, final: true)
        flushText()
        for (step, cut) in dropped {
            outputs[step]?[cut.note] = .truncated(droppedBytes: cut.bytes)
        }
    }

    /// The step's outputs; texts before the first step marker are counted to step `firstStep`.
    func outputs(for step: Int, firstStep: Int) -> [StepOutput] {
        (step == firstStep ? outputs[0] ?? [] : []) + (outputs[step] ?? [])
    }

    private func process(_ stream: Stream, final: Bool) {
        let bytes = pending[stream.rawValue]
        var start = 0
        let marker = Wire.marker
        while start < bytes.count {
            guard let found = Self.find(marker, in: bytes, from: start) else {
                addText(bytes[start...], from: stream)
                start = bytes.count
                break
            }
            addText(bytes[start..<found], from: stream)
            let available = bytes.count - found
            if available < prefix.count {
                if !final, bytes[found...].elementsEqual(prefix.prefix(available)) {
                    start = found
                    break  // may be the start of a record; wait for more
                }
                addText(bytes[found...found], from: stream)
                start = found + 1
                continue
            }
            guard bytes[found..<(found + prefix.count)].elementsEqual(prefix) else {
                addText(bytes[found...found], from: stream)
                start = found + 1
                continue
            }
            guard let newline = Self.find(0x0A, in: bytes, from: found + prefix.count) else {
                if final {
                    addText(bytes[found...], from: stream)
                    start = bytes.count
                } else {
                    start = found
                }
                break
            }
            let json = Data(bytes[(found + prefix.count)..<newline])
            do {
                handle(try JSONDecoder().decode(Wire.Envelope.self, from: json))
            } catch {
                if unreadableRecord == nil { unreadableRecord = (currentStep, String(describing: error)) }
            }
            start = newline + 1
        }
        if start >= bytes.count {
            pending[stream.rawValue].removeAll(keepingCapacity: true)
        } else {
            pending[stream.rawValue].removeFirst(start)
        }
    }

    private func handle(_ envelope: Wire.Envelope) {
        if case .thrown = envelope {} else { flushText() }
        switch envelope {
        case let .step(index):
            currentStep = index
            startedSteps.append(index)
        case .end:
            ended = true
        case let .record(record):
            outputs[currentStep, default: []].append(.record(record))
        case let .thrown(offset):
            lastThrowSite = offset
        }
    }

    private func addText(_ bytes: ArraySlice<UInt8>, from stream: Stream) {
        guard !bytes.isEmpty else { return }
        if stream != textStream { flushText() }
        textStream = stream
        var used = kept[currentStep, default: [0, 0]]
        let allowed = min(cap - used[stream.rawValue], chapterCap - keptInChapter)
        if bytes.count <= allowed {
            text.append(contentsOf: bytes)
            used[stream.rawValue] += bytes.count
            keptInChapter += bytes.count
            kept[currentStep] = used
            return
        }
        var keep = max(0, allowed)
        // Cut at a character boundary.
        while keep > 0, keep < bytes.count, bytes[bytes.startIndex + keep] & 0xC0 == 0x80 { keep -= 1 }
        text.append(contentsOf: bytes.prefix(keep))
        used[stream.rawValue] += keep
        keptInChapter += keep
        kept[currentStep] = used
        flushText()
        if let cut = dropped[currentStep] {
            dropped[currentStep] = (cut.bytes + bytes.count - keep, cut.note)
        } else {
            // The note's place; its count is filled in by `finish`.
            outputs[currentStep, default: []].append(.truncated(droppedBytes: 0))
            dropped[currentStep] = (bytes.count - keep, outputs[currentStep]!.count - 1)
        }
    }

    private func flushText() {
        guard !text.isEmpty else { return }
        let string = String(decoding: text, as: UTF8.self)
        outputs[currentStep, default: []].append(textStream == .stdout ? .stdout(string) : .stderr(string))
        text = []
    }
}
