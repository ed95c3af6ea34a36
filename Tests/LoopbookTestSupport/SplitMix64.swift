/// A tiny deterministic random number generator (SplitMix64, Steele, Lea and Flood 2014), so that fuzz
/// inputs and random edit sequences are the same on every run and every platform.
///
/// ```swift
/// var random = SplitMix64(state: 6)
/// let position = Int.random(in: 0..<10, using: &random)
/// let index = random.int(below: 10)
/// ```
public struct SplitMix64: RandomNumberGenerator, Sendable {
    /// The whole state: the next value depends on nothing else.
    public var state: UInt64

    public init(state: UInt64) { self.state = state }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in `0..<bound` (0 when `bound` is 1 or less), from one `next()`.
    public mutating func int(below bound: Int) -> Int { bound <= 1 ? 0 : Int(next() % UInt64(bound)) }
}
