import Foundation
import Synchronization

/// Time that passes only while Swift's task threads get to run tasks: the time a server under test has
/// actually had to do its work.
///
/// The whole test suite shares a few cores. While CPU-heavy tests (or the compilers and browsers they
/// start) hold them, a server's tasks wait in the queue and a wall-clock deadline runs out for nothing.
/// This clock is a task of its own that sleeps for one ``tick`` at a time; each time it wakes up, the
/// time it slept counts, but at most ``responsive`` of it. A starved pool delays its wake-ups just as
/// it delays the server's tasks, so a stretch in which no task could run counts ``responsive`` at the
/// most, and a deadline on this clock runs out only when the server had that much time to make
/// progress. With the cores free it runs as fast as the wall clock (never faster).
///
/// ```swift
/// let start = PoolClock.shared.now
/// while PoolClock.shared.now - start < .seconds(60) { ... }
/// ```
public final class PoolClock: Sendable {
    /// One clock for the test process, ticking at the priority tests and the tasks they start run at.
    public static let shared = PoolClock()

    /// How long the clock sleeps between wake-ups.
    public let tick: Duration
    /// The most one wake-up counts: a pool that answers within this time counts as running.
    public let responsive: Duration
    private let state: Shared
    private let task: Task<Void, Never>

    /// The time counted so far, and when (on the wall clock) it was counted, for the last two minutes.
    private struct State {
        var counted: Duration = .zero
        var samples: [(wall: ContinuousClock.Instant, counted: Duration)] = []
        var first = 0
    }

    private final class Shared: Sendable {
        let state = Mutex(State())
    }

    /// Starts a clock at zero. `priority` should be that of the work it measures (tests run at `.medium`).
    public init(tick: Duration = .milliseconds(10), responsive: Duration = .milliseconds(100),
                priority: TaskPriority = .medium) {
        let shared = Shared()
        self.tick = tick
        self.responsive = responsive
        self.state = shared
        task = Task.detached(priority: priority) {
            var last = ContinuousClock.now
            while !Task.isCancelled {
                try? await Task.sleep(for: tick)
                let now = ContinuousClock.now
                let slept = now - last
                last = now
                shared.state.withLock { state in
                    state.counted += min(slept, responsive)
                    state.samples.append((now, state.counted))
                    // Keep two minutes; drop the older samples in batches.
                    while state.first < state.samples.count, now - state.samples[state.first].wall > .seconds(120) {
                        state.first += 1
                    }
                    if state.first > 4_096 {
                        state.samples.removeFirst(state.first)
                        state.first = 0
                    }
                }
            }
        }
    }

    deinit { task.cancel() }

    /// The time counted since the clock started.
    public var now: Duration { state.state.withLock { $0.counted } }

    /// The time counted in the last `window` of wall-clock time (up to two minutes): how long the pool could
    /// run tasks in that stretch. Equal to `window` on free cores, near zero while the pool was starved.
    public func counted(inLast window: Duration) -> Duration {
        let start = ContinuousClock.now - window
        return state.state.withLock { state in
            // The last sample from before the window; none means the clock started within it.
            var low = state.first, high = state.samples.count
            while low < high {
                let middle = (low + high) / 2
                if state.samples[middle].wall <= start { low = middle + 1 } else { high = middle }
            }
            let before = low > state.first ? state.samples[low - 1].counted : .zero
            return state.counted - before
        }
    }
}

/// Polls `condition` until it holds, and says whether it did: every 20 ms at first, less often (up to every
/// 200 ms) while nothing changes, so a long wait costs the busy cores little.
///
/// It gives up only after `patience` has passed on `clock` (time in which the code under test could
/// run; see ``PoolClock``) with `progress` unchanged: a count the code under test moves while it works
/// (connections served, listeners registered, sockets closed). Slow progress on busy cores is waited
/// for; no progress for that long is a failure.
///
/// ```swift
/// #expect(try await eventually(progress: { server.listenerCount }) { server.listenerCount == 0 })
/// ```
public func eventually(patience: Duration = .seconds(60), clock: PoolClock = .shared,
                       progress: @Sendable () async -> Int = { 0 },
                       _ condition: @Sendable () async -> Bool) async throws -> Bool {
    var lastProgress = await progress()
    var since = clock.now
    var interval = Duration.milliseconds(20)
    while true {
        if await condition() { return true }
        let current = await progress()
        if current != lastProgress {
            lastProgress = current
            since = clock.now
            interval = .milliseconds(20)
        } else if clock.now - since >= patience {
            return await condition()
        } else {
            interval = min(interval * 2, .milliseconds(200))
        }
        try await Task.sleep(for: interval)
    }
}
