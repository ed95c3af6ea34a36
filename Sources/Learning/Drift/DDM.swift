import Foundation

/// The Drift Detection Method (Gama et al., 2004), as `river.drift.binary.DDM`: watches a stream of
/// right/wrong outcomes and flags when the error rate rises significantly above its lowest point.
///
/// ```swift
/// var ddm = DDM()
/// for (label, prediction) in zip(stream.labels, predictions) {
///     ddm.update(label != prediction)
///     if ddm.driftDetected { retrain() }
/// }
/// ```
/// Feed `update` one Boolean per prediction, `true` for an error. After `n` outcomes with error rate p,
/// the spread is s = √(p(1 − p)/n). Past the first `warmStart` outcomes the detector remembers the
/// minimum of p + s (p_min, s_min) and flags a warning when p + s > p_min + `warningThreshold`·s_min,
/// a drift when p + s > p_min + `driftThreshold`·s_min. The update after a drift starts afresh. The
/// arithmetic is river 0.22's (an incremental mean), so detections match river's on the same stream.
public struct DDM: Sendable, Equatable {
    /// Outcomes before detection can start (river's `warm_start`, default 30).
    public let warmStart: Int
    /// Standard deviations above the minimum that give a warning (default 2).
    public let warningThreshold: Double
    /// Standard deviations above the minimum that give a drift (default 3).
    public let driftThreshold: Double

    /// Whether the last update found a drift.
    public private(set) var driftDetected = false
    /// Whether the last update found a warning (never together with a drift).
    public private(set) var warningDetected = false
    /// Outcomes seen since the last reset.
    public private(set) var count = 0
    /// The error rate since the last reset.
    public private(set) var errorRate = 0.0
    private var pMin: Double?
    private var sMin: Double?
    private var psMin = Double.infinity

    /// Throws `LearningError.invalidParameter` for a negative `warmStart` or thresholds that are not
    /// positive with the drift threshold at least the warning threshold.
    public init(warmStart: Int = 30, warningThreshold: Double = 2, driftThreshold: Double = 3) throws {
        guard warmStart >= 0 else { throw LearningError.invalidParameter("warmStart (\(warmStart)) must not be negative.") }
        guard warningThreshold > 0, driftThreshold >= warningThreshold else {
            throw LearningError.invalidParameter(
                "The thresholds must be positive with driftThreshold (\(driftThreshold)) at least warningThreshold (\(warningThreshold)).")
        }
        self.warmStart = warmStart
        self.warningThreshold = warningThreshold
        self.driftThreshold = driftThreshold
    }

    /// Adds one outcome (`true` for an error) and updates `driftDetected` and `warningDetected`.
    public mutating func update(_ error: Bool) {
        if driftDetected { self = try! DDM(warmStart: warmStart, warningThreshold: warningThreshold, driftThreshold: driftThreshold) }
        count += 1
        let n = Double(count)
        errorRate += (1 / n) * ((error ? 1 : 0) - errorRate)
        let p = errorRate
        let s = (p * (1 - p) / n).squareRoot()
        guard count > warmStart else { return }
        if p + s <= psMin {
            pMin = p
            sMin = s
            psMin = p + s
        }
        let minimum = pMin ?? 0, spread = sMin ?? 0
        warningDetected = p + s > minimum + warningThreshold * spread
        if p + s > minimum + driftThreshold * spread {
            driftDetected = true
            warningDetected = false
        }
    }

    /// Runs `update` over `errors` and returns the positions (0-based) where a drift was detected.
    public mutating func driftPositions(_ errors: [Bool]) -> [Int] {
        var positions: [Int] = []
        for (i, error) in errors.enumerated() {
            update(error)
            if driftDetected { positions.append(i) }
        }
        return positions
    }
}

extension DDM: Codable {
    enum CodingKeys: String, CodingKey {
        case warmStart, warningThreshold, driftThreshold, driftDetected, warningDetected, count, errorRate
        case pMin, sMin, psMin
    }

    /// Writes the format header (`ModelFormat`), the parameters and the running state, so a reloaded
    /// detector continues the stream exactly where the saved one stopped. The minimum `p + s` is `null`
    /// while it is still infinite (JSON has no infinity).
    public func encode(to encoder: any Encoder) throws {
        try ModelHeader.write("DDM", to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(warmStart, forKey: .warmStart)
        try c.encode(warningThreshold, forKey: .warningThreshold)
        try c.encode(driftThreshold, forKey: .driftThreshold)
        try c.encode(driftDetected, forKey: .driftDetected)
        try c.encode(warningDetected, forKey: .warningDetected)
        try c.encode(count, forKey: .count)
        try c.encode(errorRate, forKey: .errorRate)
        try c.encode(pMin, forKey: .pMin)
        try c.encode(sMin, forKey: .sMin)
        try c.encode(psMin.isFinite ? psMin : nil, forKey: .psMin)
    }

    /// Reads a detector saved by `encode(to:)`. Throws `ModelFormatError` for another format version or
    /// model, and `LearningError.invalidParameter` for parameters `init` would reject.
    public init(from decoder: any Decoder) throws {
        try ModelHeader.check("DDM", in: decoder)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(warmStart: c.decode(Int.self, forKey: .warmStart),
                      warningThreshold: c.decode(Double.self, forKey: .warningThreshold),
                      driftThreshold: c.decode(Double.self, forKey: .driftThreshold))
        driftDetected = try c.decode(Bool.self, forKey: .driftDetected)
        warningDetected = try c.decode(Bool.self, forKey: .warningDetected)
        count = try c.decode(Int.self, forKey: .count)
        errorRate = try c.decode(Double.self, forKey: .errorRate)
        pMin = try c.decodeIfPresent(Double.self, forKey: .pMin)
        sMin = try c.decodeIfPresent(Double.self, forKey: .sMin)
        psMin = try c.decodeIfPresent(Double.self, forKey: .psMin) ?? .infinity
    }
}
