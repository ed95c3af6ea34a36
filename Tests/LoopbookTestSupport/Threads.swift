import Foundation

/// Runs blocking work (a socket read, waiting for a process) on a thread of its own and awaits the result.
///
/// Swift's task threads are one per core on Linux, and Dispatch's global queues share them: blocking
/// either starves every other task in the test process (a dev server under test among them).
public func onThread<T: Sendable>(stackSize: Int = 256 * 1024,
                                  _ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result { try body() }) }
        thread.stackSize = stackSize
        thread.start()
    }
}

/// Runs `body(0)` ... `body(count - 1)` at the same time, each on a thread of its own (see
/// ``onThread(stackSize:_:)``), and returns their results in that order.
public func onThreads<T: Sendable>(_ count: Int, stackSize: Int = 256 * 1024,
                                   _ body: @escaping @Sendable (Int) -> T) async -> [T] {
    await withTaskGroup(of: (Int, T).self) { group in
        for index in 0..<count {
            group.addTask { (index, try! await onThread(stackSize: stackSize) { body(index) }) }
        }
        var results: [(Int, T)] = []
        for await result in group { results.append(result) }
        return results.sorted { $0.0 < $1.0 }.map(\.1)
    }
}
