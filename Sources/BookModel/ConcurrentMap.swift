import Dispatch

extension Array where Element: Sendable {
    /// `transform` of each element, computed on all cores (`DispatchQueue.concurrentPerform`), in the order
    /// of the array. For independent work on many chapters (reading and parsing them, looking up their pages).
    public func concurrentMap<Value>(_ transform: @Sendable (Element) -> Value) -> [Value] {
        let values = UnsafeMutableBufferPointer<Value?>.allocate(capacity: count)
        values.initialize(repeating: nil)
        defer { values.deinitialize(); values.deallocate() }
        nonisolated(unsafe) let slots = values
        DispatchQueue.concurrentPerform(iterations: count) { index in
            slots[index] = transform(self[index])  // each index is written by one iteration only
        }
        return values.map { $0! }
    }
}
