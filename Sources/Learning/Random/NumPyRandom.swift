import Foundation

/// A Mersenne Twister (MT19937) generator that reproduces numpy's legacy `RandomState` bit for bit.
///
/// `try NumPyRandom(seed: 42)` followed by `randn(100)` gives exactly `np.random.seed(42); np.random.randn(100)`.
/// The algorithms are numpy's legacy ones:
/// - doubles take 53 bits from two 32-bit words: `((a >> 5) · 2²⁶ + (b >> 6)) / 2⁵³`;
/// - standard normals use the polar (Marsaglia) method and cache the second value across calls;
/// - bounded integers use masked rejection sampling on 32-bit words (64-bit words for wide ranges);
/// - `permutation` and `shuffle` run Fisher–Yates from the back, drawing with `interval(_:)`.
///
/// It also conforms to `RandomNumberGenerator`, so Swift's own `shuffled(using:)` and friends accept it,
/// but only the numpy-named methods promise numpy's sequences.
public struct NumPyRandom: RandomNumberGenerator, Sendable {
    private static let stateSize = 624
    private static let shift = 397

    private var key: [UInt32]
    private var position: Int
    private var cachedGaussian: Double?

    /// Seeds the generator like `numpy.random.RandomState(seed)` (numpy's `init_genrand`).
    public init(seed: UInt32) {
        var key = [UInt32](repeating: 0, count: Self.stateSize)
        var s = seed
        for i in 0..<Self.stateSize {
            key[i] = s
            s = 1_812_433_253 &* (s ^ (s >> 30)) &+ UInt32(i + 1)
        }
        self.key = key
        self.position = Self.stateSize
        self.cachedGaussian = nil
    }

    /// Seeds from an `Int`, as scikit-learn's `random_state=` does. Throws for seeds outside 0...2³²−1.
    /// A literal such as `try NumPyRandom(seed: 42)` picks this initialiser; `NumPyRandom(seed: UInt32(42))` does not throw.
    public init(seed: Int) throws {
        guard seed >= 0, seed <= Int(UInt32.max) else {
            throw LearningError.invalidParameter(
                "The random seed (\(seed)) must be between 0 and 4294967295, as numpy requires.")
        }
        self.init(seed: UInt32(seed))
    }

    // MARK: Raw words

    private mutating func regenerate() {
        let n = Self.stateSize, m = Self.shift
        let upper: UInt32 = 0x8000_0000, lower: UInt32 = 0x7FFF_FFFF, matrixA: UInt32 = 0x9908_B0DF
        for i in 0..<n {
            let y = (key[i] & upper) | (key[(i + 1) % n] & lower)
            var next = key[(i + m) % n] ^ (y >> 1)
            if y & 1 != 0 { next ^= matrixA }
            key[i] = next
        }
        position = 0
    }

    /// The next raw 32-bit word (numpy's `next_uint32`).
    public mutating func nextUInt32() -> UInt32 {
        if position >= Self.stateSize { regenerate() }
        var y = key[position]
        position += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9D2C_5680
        y ^= (y << 15) & 0xEFC6_0000
        y ^= y >> 18
        return y
    }

    /// Two words, high first (numpy's `next_uint64` for MT19937). Also `RandomNumberGenerator.next()`.
    public mutating func next() -> UInt64 {
        let high = UInt64(nextUInt32())
        return (high << 32) | UInt64(nextUInt32())
    }

    // MARK: numpy's methods

    /// A uniform double in [0, 1) (`random_sample`, `rand`).
    public mutating func randomSample() -> Double {
        let a = Double(nextUInt32() >> 5), b = Double(nextUInt32() >> 6)
        return (a * 67_108_864.0 + b) / 9_007_199_254_740_992.0
    }

    /// `count` uniform doubles in [0, 1) (`rand(count)`).
    public mutating func rand(_ count: Int) -> [Double] {
        (0..<max(count, 0)).map { _ in randomSample() }
    }

    /// A uniform double in [low, high) (`uniform(low, high)`).
    public mutating func uniform(_ low: Double, _ high: Double) -> Double {
        low + (high - low) * randomSample()
    }

    /// A standard normal value (legacy `standard_normal`, polar method with a cached second value).
    public mutating func standardNormal() -> Double {
        if let cached = cachedGaussian {
            cachedGaussian = nil
            return cached
        }
        var x1 = 0.0, x2 = 0.0, r2 = 0.0
        repeat {
            x1 = 2.0 * randomSample() - 1.0
            x2 = 2.0 * randomSample() - 1.0
            r2 = x1 * x1 + x2 * x2
        } while r2 >= 1.0 || r2 == 0.0
        let f = (-2.0 * Foundation.log(r2) / r2).squareRoot()
        cachedGaussian = f * x1
        return f * x2
    }

    /// `count` standard normal values (`randn(count)`).
    public mutating func randn(_ count: Int) -> [Double] {
        (0..<max(count, 0)).map { _ in standardNormal() }
    }

    /// A normal value with the given mean and standard deviation (`normal(loc, scale)`).
    public mutating func normal(_ mean: Double, _ standardDeviation: Double) -> Double {
        mean + standardDeviation * standardNormal()
    }

    /// A uniformly chosen value in 0...max by masked rejection (numpy's `random_interval`), as used by `shuffle`.
    public mutating func interval(_ max: UInt64) -> UInt64 {
        if max == 0 { return 0 }
        let mask = Self.mask(covering: max)
        if max <= 0xFFFF_FFFF {
            while true {
                let value = UInt64(nextUInt32()) & mask
                if value <= max { return value }
            }
        }
        while true {
            let value = next() & mask
            if value <= max { return value }
        }
    }

    /// An integer in `low..<high` (legacy `randint(low, high)` with the default int64 dtype).
    /// Returns `low` when the range is empty, which `randint` would reject; use `randint(_:_:_:)` to get an error.
    public mutating func randint(_ low: Int, _ high: Int) -> Int {
        guard high > low else { return low }
        let range = UInt64(high - 1 - low)
        return low + Int(truncatingIfNeeded: boundedMasked(range))
    }

    /// `count` integers in `low..<high` (`randint(low, high, size)`). Throws if `high <= low`, as numpy does.
    public mutating func randint(_ low: Int, _ high: Int, _ count: Int) throws -> [Int] {
        guard high > low else {
            throw LearningError.invalidParameter("randint needs low (\(low)) to be below high (\(high)).")
        }
        return (0..<max(count, 0)).map { _ in randint(low, high) }
    }

    /// The smallest all-ones bit mask that is at least `value`.
    private static func mask(covering value: UInt64) -> UInt64 {
        var mask = value
        mask |= mask >> 1; mask |= mask >> 2; mask |= mask >> 4
        mask |= mask >> 8; mask |= mask >> 16; mask |= mask >> 32
        return mask
    }

    private mutating func boundedMasked(_ range: UInt64) -> UInt64 {
        if range == 0 { return 0 }
        let mask = Self.mask(covering: range)
        if range <= 0xFFFF_FFFF {
            if range == 0xFFFF_FFFF { return UInt64(nextUInt32()) }
            while true {
                let value = UInt64(nextUInt32()) & mask
                if value <= range { return value }
            }
        }
        if range == UInt64.max { return next() }
        while true {
            let value = next() & mask
            if value <= range { return value }
        }
    }

    /// A seed for a child generator, drawn as scikit-learn draws per-estimator seeds:
    /// `randint(np.iinfo(np.int32).max)`.
    public mutating func randomSeed() -> UInt32 {
        UInt32(randint(0, Int(Int32.max)))
    }

    /// Shuffles in place (legacy `shuffle`): Fisher–Yates from the last element down.
    public mutating func shuffle<T>(_ values: inout [T]) {
        guard values.count > 1 else { return }
        for i in stride(from: values.count - 1, to: 0, by: -1) {
            let j = Int(interval(UInt64(i)))
            values.swapAt(i, j)
        }
    }

    /// A shuffled `0..<count` (legacy `permutation(count)`).
    public mutating func permutation(_ count: Int) -> [Int] {
        var values = Array(0..<max(count, 0))
        shuffle(&values)
        return values
    }
}
