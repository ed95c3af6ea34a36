import FlyingFox
import FlyingSocks
import Foundation
import Synchronization

/// Keeps the open live-reload connections and pushes server-sent events to all of them.
///
/// Each `GET /__loopbook/events` gets its own event stream. A listener is registered when the server
/// starts writing its response body and removed when that body ends: the client went away (a write
/// failed — heartbeats make sure a write happens every `heartbeat` interval), or the hub was closed.
final class LiveReloadHub: Sendable {
    private struct State {
        var nextID = 0
        var listeners: [Int: AsyncStream<String>.Continuation] = [:]
        /// The error of the last failed rebuild, shown to pages that connect while the site is broken.
        var currentError: String?
        var isClosed = false
    }

    private let state = Mutex(State())

    /// Number of connected listeners.
    var listenerCount: Int { state.withLock { $0.listeners.count } }

    /// Sends `reload` to every listener and forgets the current error.
    func reload() {
        broadcast(Self.event("reload", data: "{}")) { $0.currentError = nil }
    }

    /// Sends `error` with `message` to every listener; pages show it in an overlay.
    func error(_ message: String) {
        broadcast(Self.event("error", data: message)) { $0.currentError = message }
    }

    /// Sends an SSE comment line; it keeps proxies quiet and reveals clients that have gone away.
    func heartbeat() {
        broadcast(": heartbeat\n\n") { _ in }
    }

    /// Ends every event stream and refuses new ones.
    func close() {
        let continuations = state.withLock { state in
            state.isClosed = true
            defer { state.listeners = [:] }
            return Array(state.listeners.values)
        }
        for continuation in continuations { continuation.finish() }
    }

    /// A response body that streams events to one client until it disconnects.
    func makeBody() -> HTTPBodySequence {
        HTTPBodySequence(from: EventBytes(hub: self))
    }

    fileprivate func subscribe() -> (id: Int, stream: AsyncStream<String>) {
        let (stream, continuation) = AsyncStream<String>.makeStream(bufferingPolicy: .bufferingNewest(64))
        let (id, opening) = state.withLock { state -> (Int, [String]?) in
            guard !state.isClosed else { return (-1, nil) }
            let id = state.nextID
            state.nextID += 1
            state.listeners[id] = continuation
            var opening = ["retry: 1000\n", Self.event("hello", data: "{}")]
            if let error = state.currentError { opening.append(Self.event("error", data: error)) }
            return (id, opening)
        }
        if let opening {
            for text in opening { continuation.yield(text) }
        } else {
            continuation.finish()
        }
        return (id, stream)
    }

    fileprivate func unsubscribe(_ id: Int) {
        let continuation = state.withLock { $0.listeners.removeValue(forKey: id) }
        continuation?.finish()
    }

    private func broadcast(_ text: String, update: (inout State) -> Void) {
        let continuations = state.withLock { state in
            update(&state)
            return Array(state.listeners.values)
        }
        for continuation in continuations { continuation.yield(text) }
    }

    /// One SSE event; every line of `data` becomes its own `data:` line.
    static func event(_ name: String, data: String) -> String {
        let lines = data.split(separator: "\n", omittingEmptySubsequences: false)
            .map { "data: " + $0.replacingOccurrences(of: "\r", with: "") }
        return "event: \(name)\n" + lines.joined(separator: "\n") + "\n\n"
    }
}

/// The bytes of one client's event stream. The subscription is made when the server starts iterating
/// (after the headers were written) and dropped when the iterator is released.
private struct EventBytes: AsyncBufferedSequence, Sendable {
    typealias Element = UInt8
    let hub: LiveReloadHub

    func makeAsyncIterator() -> Iterator {
        Iterator(subscription: Subscription(hub: hub))
    }

    final class Subscription: @unchecked Sendable {
        let hub: LiveReloadHub
        let id: Int
        var iterator: AsyncStream<String>.Iterator

        init(hub: LiveReloadHub) {
            self.hub = hub
            let (id, stream) = hub.subscribe()
            self.id = id
            self.iterator = stream.makeAsyncIterator()
        }

        deinit { hub.unsubscribe(id) }
    }

    struct Iterator: AsyncBufferedIteratorProtocol {
        let subscription: Subscription
        var pending: [UInt8] = []

        mutating func next() async throws -> UInt8? {
            guard let buffer = try await nextBuffer(suggested: 1) else { return nil }
            return buffer.first
        }

        mutating func nextBuffer(suggested count: Int) async throws -> [UInt8]? {
            if pending.isEmpty {
                guard let text = await subscription.iterator.next(isolation: nil) else { return nil }
                pending = Array(text.utf8)
            }
            let size = Swift.max(1, Swift.min(count, pending.count))
            defer { pending.removeFirst(size) }
            return Array(pending.prefix(size))
        }
    }
}
