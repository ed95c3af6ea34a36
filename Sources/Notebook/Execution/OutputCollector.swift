import Foundation
import BookModel

/// Splits one output stream of a chapter program into per-step outputs, as it arrives.
///
/// Record lines (`\u{1E}LOOPBOOK <nonce> <json>\n`) are recognised anywhere in the stream; everything
/// else is text. Each step keeps at most `cap` bytes of this stream; the rest is counted, not kept.
final class OutputCollector {
    enum Stream { case stdout, stderr }

    private let prefix: [UInt8]
    private let stream: Stream
    private let cap: Int
    private var pending: [UInt8] = []
    private var text: [UInt8] = []
    private var kept: [Int: Int] = [:]
    private var dropped: [Int: Int] = [:]
    private(set) var outputs: [Int: [StepOutput]] = [:]
    /// The step that was running last (the latest step marker seen), 0 before the first.
    private(set) var currentStep = 0
    /// Whether the program reported that every step ran.
    private(set) var ended = false

    init(nonce: String, stream: Stream, cap: Int) {
        self.prefix = Wire.prefix(nonce: nonce)
        self.stream = stream
        self.cap = cap
    }

    func feed(_ chunk: UnsafeRawBufferPointer) {
        pending.append(contentsOf: chunk.bindMemory(to: UInt8.self))
        process(final: false)
    }

    /// The index of the first `byte` in `pending[from...]` (memchr: fast even in debug builds).
    private func find(_ byte: UInt8, from: Int) -> Int? {
        guard from < pending.count else { return nil }
        return pending.withUnsafeBufferPointer { buffer -> Int? in
            guard let found = memchr(buffer.baseAddress! + from, Int32(byte), buffer.count - from) else { return nil }
            return buffer.baseAddress!.distance(to: found.assumingMemoryBound(to: UInt8.self))
        }
    }

    /// Call once the stream is closed: whatever is left is text.
    func finish() {
        process(final: true)
        flushText()
        for (step, bytes) in dropped.sorted(by: { $0.key < $1.key }) where bytes > 0 {
            outputs[step, default: []].append(.truncated(droppedBytes: bytes))
        }
        dropped = [:]
    }

    /// The step's outputs; texts before the first step marker are counted to step `firstStep`.
    func outputs(for step: Int, firstStep: Int) -> [StepOutput] {
        (step == firstStep ? outputs[0] ?? [] : []) + (outputs[step] ?? [])
    }

    private func process(final: Bool) {
        var start = 0
        let marker = Wire.marker
        while start < pending.count {
            guard let found = find(marker, from: start) else {
                addText(pending[start...])
                start = pending.count
                break
            }
            addText(pending[start..<found])
            let available = pending.count - found
            if available < prefix.count {
                if !final, pending[found...].elementsEqual(prefix.prefix(available)) {
                    start = found
                    break  // may be the start of a record; wait for more
                }
                addText(pending[found...found])
                start = found + 1
                continue
            }
            guard pending[found..<(found + prefix.count)].elementsEqual(prefix) else {
                addText(pending[found...found])
                start = found + 1
                continue
            }
            guard let newline = find(0x0A, from: found + prefix.count) else {
                if final {
                    addText(pending[found...])
                    start = pending.count
                } else {
                    start = found
                }
                break
            }
            let json = Data(pending[(found + prefix.count)..<newline])
            if let envelope = try? JSONDecoder().decode(Wire.Envelope.self, from: json) {
                handle(envelope, size: newline + 1 - found)
            }
            start = newline + 1
        }
        if start >= pending.count { pending.removeAll(keepingCapacity: true) } else { pending.removeFirst(start) }
    }

    private func handle(_ envelope: Wire.Envelope, size: Int) {
        switch envelope {
        case let .step(index):
            flushText()
            currentStep = index
        case .end:
            flushText()
            ended = true
        case let .record(record):
            flushText()
            if kept[currentStep, default: 0] + size > cap {
                dropped[currentStep, default: 0] += size
            } else {
                kept[currentStep, default: 0] += size
                outputs[currentStep, default: []].append(.record(record))
            }
        }
    }

    private func addText(_ bytes: ArraySlice<UInt8>) {
        guard !bytes.isEmpty else { return }
        let used = kept[currentStep, default: 0]
        if used + bytes.count <= cap {
            text.append(contentsOf: bytes)
            kept[currentStep] = used + bytes.count
            return
        }
        if used >= cap {
            dropped[currentStep, default: 0] += bytes.count
            return
        }
        var allowed = cap - used
        // Cut at a character boundary.
        while allowed > 0, allowed < bytes.count, bytes[bytes.startIndex + allowed] & 0xC0 == 0x80 { allowed -= 1 }
        text.append(contentsOf: bytes.prefix(allowed))
        kept[currentStep] = cap
        dropped[currentStep, default: 0] += bytes.count - allowed
    }

    private func flushText() {
        guard !text.isEmpty else { return }
        let string = String(decoding: text, as: UTF8.self)
        outputs[currentStep, default: []].append(stream == .stdout ? .stdout(string) : .stderr(string))
        text = []
    }
}
