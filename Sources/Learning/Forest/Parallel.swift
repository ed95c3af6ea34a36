import Foundation

/// Computes `body(i)` for every `i` in `0..<count` on up to `workers` threads and returns the results in
/// index order. Each result depends only on its index, so the output is the same for any worker count.
func parallelMap<T: Sendable>(count: Int, workers: Int, _ body: @Sendable (Int) -> T) -> [T] {
    guard count > 0 else { return [] }
    let workers = max(1, min(workers, count))
    if workers == 1 { return (0..<count).map(body) }
    var results = [T?](repeating: nil, count: count)
    let next = NextIndex()
    results.withUnsafeMutableBufferPointer { slots in
        let slots = Slots(buffer: slots)
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while let i = next.take(below: count) {
                slots.buffer[i] = body(i)
            }
        }
    }
    return results.map { $0! }
}

/// Result slots shared by the workers; each index is written by exactly one worker.
private struct Slots<T>: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<T?>
}

/// A shared counter handing out indices to worker threads.
private final class NextIndex: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    func take(below limit: Int) -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard value < limit else { return nil }
        value += 1
        return value - 1
    }
}

/// The number of worker threads for an `nJobs` setting: `nil` or -1 means every core.
func resolveJobs(_ nJobs: Int?) throws -> Int {
    let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)
    guard let nJobs, nJobs != -1 else { return cores }
    guard nJobs >= 1 else {
        throw LearningError.invalidParameter("nJobs (\(nJobs)) must be at least 1, or -1 or nil for every core.")
    }
    return nJobs
}
