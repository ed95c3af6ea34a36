import Foundation

/// Limits how many compilers and chapter programs run at once.
///
/// Its job: hand out slots (waiting runs before waiting compiles), run the blocking work on a thread of its
/// own, and own the `ProgramGroup` that every compile and run registers in, so cancelling the build stops them.
actor JobSlots {
    /// The programs started under these slots: cancelling the build cancels this group.
    nonisolated let programs = ProgramGroup()
    private var free: Int
    /// Waiting runs go before waiting compiles: a chapter others wait for should not queue behind their compiles.
    private var waitingRuns: [CheckedContinuation<Void, Never>] = []
    private var waitingCompiles: [CheckedContinuation<Void, Never>] = []

    init(_ count: Int) { free = max(1, count) }

    func acquire(urgent: Bool) async {
        if free > 0 { free -= 1; return }
        await withCheckedContinuation { continuation in
            if urgent { waitingRuns.append(continuation) } else { waitingCompiles.append(continuation) }
        }
    }

    func release() {
        if !waitingRuns.isEmpty { waitingRuns.removeFirst().resume() }
        else if !waitingCompiles.isEmpty { waitingCompiles.removeFirst().resume() }
        else { free += 1 }
    }

    /// Runs blocking `work` on a thread of its own while holding a slot.
    ///
    /// Not on `DispatchQueue.global()`: on Linux, Swift's tasks run on Dispatch's global queue, whose few
    /// threads (one per core) a compile or a chapter program would hold for seconds, stalling every task
    /// in the process meanwhile — such as the dev server answering requests during a rebuild.
    func withSlot<T: Sendable>(urgent: Bool = false, _ work: @escaping @Sendable () throws -> T) async throws -> T {
        await acquire(urgent: urgent)
        defer { release() }
        if programs.isCancelled { throw CancellationError() }
        return try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: Result { try work() }) }
            thread.stackSize = 1 << 20
            thread.start()
        }
    }
}
