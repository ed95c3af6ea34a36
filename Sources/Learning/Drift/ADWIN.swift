import Foundation

/// ADaptive WINdowing (Bifet and Gavaldà, 2007), as `river.drift.ADWIN` 0.22: keeps a window of recent
/// values in exponential-histogram buckets and flags a drift when two parts of the window have means
/// that differ by more than chance allows at confidence `delta`.
///
/// Feed `update` one number per step (e.g. 1 for an error and 0 for a correct prediction, or a
/// score). Every `clock` steps, once the window holds more than `gracePeriod` values, each cut of the
/// window into an older and a newer part (each at least `minWindowLength` long) is tested with
/// Hoeffding-style bound ε = √(2·m·σ²·δ′) + (2/3)·δ′·m, where m = 1/(n₀ − L + 1) + 1/(n₁ − L + 1),
/// δ′ = ln(2 ln(width) / delta) and σ² the window's variance; older buckets are dropped while a cut
/// exceeds it. As in river 0.22, the update after a drift starts a new, empty window. The arithmetic
/// is river's, so detections match river's on the same stream.
public struct ADWIN: Sendable, Equatable {
    /// The confidence parameter (smaller: fewer false alarms, slower detection; default 0.002).
    public let delta: Double
    /// How often, in updates, the window is checked (default 32).
    public let clock: Int
    /// Buckets of each size kept before two are merged (default 5).
    public let maxBuckets: Int
    /// The shortest part of the window a cut may leave (default 5).
    public let minWindowLength: Int
    /// Values to see before the first check (default 10).
    public let gracePeriod: Int

    /// Whether the last update found a drift.
    public private(set) var driftDetected = false
    /// The number of values in the window.
    public var width: Int { Int(state.width) }
    /// The mean of the window (0 when empty).
    public var estimation: Double { state.width == 0 ? 0 : state.total / state.width }

    private var state: Window

    /// Throws `LearningError.invalidParameter` for `delta` outside (0, 1), a `clock` or `maxBuckets`
    /// below 1, or a negative `minWindowLength` or `gracePeriod`.
    public init(delta: Double = 0.002, clock: Int = 32, maxBuckets: Int = 5, minWindowLength: Int = 5,
                gracePeriod: Int = 10) throws {
        guard delta > 0, delta < 1 else { throw LearningError.invalidParameter("delta (\(delta)) must be between 0 and 1.") }
        guard clock >= 1, maxBuckets >= 1 else {
            throw LearningError.invalidParameter("clock (\(clock)) and maxBuckets (\(maxBuckets)) must be at least 1.")
        }
        guard minWindowLength >= 0, gracePeriod >= 0 else {
            throw LearningError.invalidParameter(
                "minWindowLength (\(minWindowLength)) and gracePeriod (\(gracePeriod)) must not be negative.")
        }
        self.delta = delta
        self.clock = clock
        self.maxBuckets = maxBuckets
        self.minWindowLength = minWindowLength
        self.gracePeriod = gracePeriod
        self.state = Window(maxBuckets: maxBuckets)
    }

    /// Adds one value and updates `driftDetected`.
    public mutating func update(_ value: Double) {
        if driftDetected { state = Window(maxBuckets: maxBuckets) }
        state.insert(value, variance: 0)
        driftDetected = detectChange()
    }

    /// Runs `update` over `values` and returns the positions (0-based) where a drift was detected.
    public mutating func driftPositions(_ values: [Double]) -> [Int] {
        var positions: [Int] = []
        for (i, value) in values.enumerated() {
            update(value)
            if driftDetected { positions.append(i) }
        }
        return positions
    }

    /// river's `AdaptiveWindowing._detect_change`.
    private mutating func detectChange() -> Bool {
        var changeDetected = false
        state.tick += 1
        guard state.tick % clock == 0, state.width > Double(gracePeriod) else { return false }
        let minLength = Double(minWindowLength)
        var reduceWidth = true
        while reduceWidth {
            reduceWidth = false
            var exitFlag = false
            var n0 = 0.0, n1 = state.width, u0 = 0.0, u1 = state.total
            var v0 = 0.0, v1 = state.variance
            var idx = state.buckets.count - 1
            while idx >= 0, !exitFlag {
                let bucket = state.buckets[idx]
                let size = pow(2.0, Double(idx))
                var k = 0
                while k < bucket.count {
                    let n2 = size
                    let u2 = bucket.totals[k]
                    let mu2 = u2 / n2
                    if n0 > 0 {
                        let mu0 = u0 / n0
                        v0 += bucket.variances[k] + n0 * n2 * (mu0 - mu2) * (mu0 - mu2) / (n0 + n2)
                    }
                    if n1 > 0 {
                        let mu1 = u1 / n1
                        v1 -= bucket.variances[k] + n1 * n2 * (mu1 - mu2) * (mu1 - mu2) / (n1 + n2)
                    }
                    n0 += size
                    n1 -= size
                    u0 += bucket.totals[k]
                    u1 -= bucket.totals[k]
                    if idx == 0, k == bucket.count - 1 {
                        exitFlag = true
                        break
                    }
                    let deltaMean = u0 / n0 - u1 / n1
                    if n1 >= minLength, n0 >= minLength, evaluateCut(n0, n1, deltaMean) {
                        reduceWidth = true
                        changeDetected = true
                        if state.width > 0 {
                            n0 -= state.deleteOldest()
                            exitFlag = true
                            break
                        }
                    }
                    k += 1
                }
                idx -= 1
            }
        }
        return changeDetected
    }

    private func evaluateCut(_ n0: Double, _ n1: Double, _ deltaMean: Double) -> Bool {
        let deltaPrime = log(2 * log(state.width) / delta)
        let minLength = Double(minWindowLength)
        let mRecip = 1.0 / (n0 - minLength + 1) + 1.0 / (n1 - minLength + 1)
        let epsilon = (2 * mRecip * (state.variance / state.width) * deltaPrime).squareRoot()
            + 2.0 / 3.0 * deltaPrime * mRecip
        return abs(deltaMean) > epsilon
    }

    /// river's bucket rows: row i holds up to `maxBuckets + 1` buckets of 2^i values each.
    struct Bucket: Sendable, Equatable, Codable {
        var totals: [Double]
        var variances: [Double]
        var count = 0

        init(maxBuckets: Int) {
            totals = [Double](repeating: 0, count: maxBuckets + 1)
            variances = totals
        }

        mutating func insert(_ total: Double, _ variance: Double) {
            totals[count] = total
            variances[count] = variance
            count += 1
        }

        mutating func compress(_ n: Int) {
            let length = totals.count
            for i in n..<length {
                totals[i - n] = totals[i]
                variances[i - n] = variances[i]
            }
            for i in (length - n)..<length {
                totals[i] = 0
                variances[i] = 0
            }
            count -= n
        }
    }

    struct Window: Sendable, Equatable, Codable {
        let maxBuckets: Int
        var buckets: [Bucket]
        var total = 0.0, variance = 0.0, width = 0.0
        var tick = 0

        init(maxBuckets: Int) {
            self.maxBuckets = maxBuckets
            buckets = [Bucket(maxBuckets: maxBuckets)]
        }

        /// river's `_insert_element`.
        mutating func insert(_ value: Double, variance v: Double) {
            buckets[0].insert(value, v)
            width += 1
            var incremental = 0.0
            if width > 1 {
                incremental = (width - 1) * (value - total / (width - 1)) * (value - total / (width - 1)) / width
            }
            variance += incremental
            total += value
            compress()
        }

        /// river's `_delete_element`: drops the oldest bucket; returns its size.
        mutating func deleteOldest() -> Double {
            let last = buckets.count - 1
            let n = pow(2.0, Double(last))
            let u = buckets[last].totals[0]
            let mu = u / n
            let v = buckets[last].variances[0]
            width -= n
            total -= u
            let muWindow = total / width
            variance -= v + n * width * (mu - muWindow) * (mu - muWindow) / (n + width)
            buckets[last].compress(1)
            if buckets[last].count == 0 { buckets.removeLast() }
            return n
        }

        /// river's `_compress_buckets`.
        mutating func compress() {
            var idx = 0
            while idx < buckets.count {
                guard buckets[idx].count == maxBuckets + 1 else { break }
                if idx + 1 == buckets.count { buckets.append(Bucket(maxBuckets: maxBuckets)) }
                let size = pow(2.0, Double(idx))
                let mu1 = buckets[idx].totals[0] / size
                let mu2 = buckets[idx].totals[1] / size
                let total12 = buckets[idx].totals[0] + buckets[idx].totals[1]
                let temp = size * size * (mu1 - mu2) * (mu1 - mu2) / (size + size)
                let v12 = buckets[idx].variances[0] + buckets[idx].variances[1] + temp
                buckets[idx + 1].insert(total12, v12)
                buckets[idx].compress(2)
                if buckets[idx + 1].count <= maxBuckets { break }
                idx += 1
            }
        }
    }
}

extension ADWIN: Codable {
    enum CodingKeys: String, CodingKey { case delta, clock, maxBuckets, minWindowLength, gracePeriod, driftDetected, state }

    /// Writes the format header (`ModelFormat`), the parameters and the window (its buckets, totals and
    /// clock), so a reloaded detector continues the stream exactly where the saved one stopped (river's
    /// detectors are pickled the same way).
    public func encode(to encoder: any Encoder) throws {
        try ModelHeader.write("ADWIN", to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(delta, forKey: .delta)
        try c.encode(clock, forKey: .clock)
        try c.encode(maxBuckets, forKey: .maxBuckets)
        try c.encode(minWindowLength, forKey: .minWindowLength)
        try c.encode(gracePeriod, forKey: .gracePeriod)
        try c.encode(driftDetected, forKey: .driftDetected)
        try c.encode(state, forKey: .state)
    }

    /// Reads a detector saved by `encode(to:)`. Throws `ModelFormatError` for another format version or
    /// model, and `LearningError.invalidParameter` for parameters `init` would reject.
    public init(from decoder: any Decoder) throws {
        try ModelHeader.check("ADWIN", in: decoder)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(delta: c.decode(Double.self, forKey: .delta), clock: c.decode(Int.self, forKey: .clock),
                      maxBuckets: c.decode(Int.self, forKey: .maxBuckets),
                      minWindowLength: c.decode(Int.self, forKey: .minWindowLength),
                      gracePeriod: c.decode(Int.self, forKey: .gracePeriod))
        driftDetected = try c.decode(Bool.self, forKey: .driftDetected)
        state = try c.decode(Window.self, forKey: .state)
        guard state.maxBuckets == maxBuckets, state.buckets.allSatisfy({ $0.totals.count == maxBuckets + 1 && $0.variances.count == maxBuckets + 1 }) else {
            throw ModelFormatError("The saved ADWIN's buckets do not hold \(maxBuckets + 1) entries each. The file is damaged; save the detector again.")
        }
    }
}
