import Foundation
import Synchronization

/// The live-reload messages waiting for the server's event loop, and the error pages that connect are shown.
///
/// Any thread may call ``reload()`` and ``error(_:)``; each message gets a sequence number and wakes the
/// loop, which appends it to every open event stream (`GET /__loopbook/events`). A page that connects gets
/// `retry`, `hello` and the current error, and then only messages newer than those.
final class LiveReloadHub: Sendable {
    private struct State {
        var sequence = 0
        var outbox: [(sequence: Int, text: String)] = []
        /// The error of the last failed rebuild, shown to pages that connect while the site is broken.
        var currentError: String?
        var wake: (@Sendable () -> Void)?
    }

    private let state = Mutex(State())
    private let listeners = Atomic<Int>(0)

    /// Number of open event streams (kept by the event loop).
    var listenerCount: Int { listeners.load(ordering: .relaxed) }

    func setListenerCount(_ count: Int) { listeners.store(count, ordering: .relaxed) }

    /// How the loop is woken when a message is waiting.
    func setWake(_ wake: (@Sendable () -> Void)?) { state.withLock { $0.wake = wake } }

    /// Sends `reload` to every listener and forgets the current error.
    func reload() {
        broadcast(Self.event("reload", data: "{}")) { $0.currentError = nil }
    }

    /// Sends `error` with `message` to every listener; pages show it in an overlay.
    func error(_ message: String) {
        broadcast(Self.event("error", data: message)) { $0.currentError = message }
    }

    /// The opening of a new stream, and the sequence number of the last message it already reflects.
    func opening() -> (text: String, sequence: Int) {
        state.withLock { state in
            var text = "retry: 1000\n" + Self.event("hello", data: "{}")
            if let error = state.currentError { text += Self.event("error", data: error) }
            return (text, state.sequence)
        }
    }

    /// The messages sent since the loop last looked.
    func take() -> [(sequence: Int, text: String)] {
        state.withLock { state in
            defer { state.outbox.removeAll() }
            return state.outbox
        }
    }

    private func broadcast(_ text: String, update: (inout State) -> Void) {
        let wake = state.withLock { state in
            update(&state)
            state.sequence += 1
            state.outbox.append((state.sequence, text))
            // A loop that is not running never takes them; keep only the latest few.
            if state.outbox.count > 64 { state.outbox.removeFirst(state.outbox.count - 64) }
            return state.wake
        }
        wake?()
    }

    /// One SSE event; every line of `data` becomes its own `data:` line.
    static func event(_ name: String, data: String) -> String {
        let lines = data.split(separator: "\n", omittingEmptySubsequences: false)
            .map { "data: " + $0.replacingOccurrences(of: "\r", with: "") }
        return "event: \(name)\n" + lines.joined(separator: "\n") + "\n\n"
    }
}
