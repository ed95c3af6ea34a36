import Foundation

/// A paired comparison of two sets of scores measured on the same seeds, folds or datasets: the mean
/// difference with a Student-t confidence interval and a two-sided paired t-test (scipy's
/// `ttest_rel(a, b)` and its `confidence_interval(confidence_level)`).
public struct PairedComparison: Sendable, Equatable, CustomStringConvertible {
    /// The number of pairs.
    public let count: Int
    /// The mean of `a[i] − b[i]`, in the scores' units.
    public let meanDifference: Double
    /// The sample standard deviation (n − 1 in the denominator) of the differences.
    public let standardDeviation: Double
    /// The standard error of the mean difference, `standardDeviation / √n`.
    public let standardError: Double
    /// `meanDifference / standardError`.
    public let tStatistic: Double
    /// The degrees of freedom, n − 1.
    public let degreesOfFreedom: Int
    /// The two-sided p-value of "no mean difference".
    public let pValue: Double
    /// The confidence level of `confidenceInterval`, e.g. 0.95.
    public let confidenceLevel: Double
    /// The interval `meanDifference ± t(1 − (1 − level)/2, n − 1) · standardError`.
    public let confidenceInterval: (low: Double, high: Double)

    public static func == (l: PairedComparison, r: PairedComparison) -> Bool {
        l.count == r.count && l.meanDifference == r.meanDifference && l.standardDeviation == r.standardDeviation
            && l.tStatistic == r.tStatistic && l.pValue == r.pValue && l.confidenceLevel == r.confidenceLevel
            && l.confidenceInterval == r.confidenceInterval
    }

    /// E.g. "mean difference 0.0213 (95% CI 0.0102 to 0.0324), t = 4.27, p = 0.0081, 9 pairs".
    public var description: String {
        func f(_ x: Double) -> String { String(format: "%.4g", x) }
        return "mean difference \(f(meanDifference)) (\(f(confidenceLevel * 100))% CI \(f(confidenceInterval.low)) to "
            + "\(f(confidenceInterval.high))), t = \(f(tStatistic)), p = \(f(pValue)), \(count) pairs"
    }
}

/// Compares scores `a` and `b` paired by position (n each, e.g. two models' accuracies on the same n
/// seeds): the mean of `a − b`, its confidence interval at `confidenceLevel`, and the two-sided paired
/// t-test, as scipy's `ttest_rel(a, b)` with `.confidence_interval(confidence_level)`.
///
/// A positive mean difference means `a` scored higher. Accuracy: the mean, standard deviation and t
/// statistic follow scipy's arithmetic (equal to about 1e-15); the p-value and interval use Student's t
/// distribution computed here (incomplete beta function and Newton's method), within 1e-10 of scipy's.
/// When every difference is the same the standard error is 0: t is ±∞ (NaN if the differences are 0)
/// and the interval is the single point `meanDifference`. Throws `LearningError` when the counts
/// differ, there are fewer than 2 pairs, a score is not finite, or `confidenceLevel` is not strictly
/// between 0 and 1.
public func pairedComparison(_ a: [Double], _ b: [Double], confidenceLevel: Double = 0.95) throws -> PairedComparison {
    guard a.count == b.count else {
        throw LearningError.invalidParameter("a and b must pair up, but a has \(a.count) scores and b \(b.count).")
    }
    guard a.count >= 2 else {
        throw LearningError.invalidParameter("A paired comparison needs at least 2 pairs of scores; got \(a.count).")
    }
    guard (a + b).allSatisfy(\.isFinite) else {
        throw LearningError.invalidParameter("The scores must be finite numbers (no NaN or infinity).")
    }
    guard confidenceLevel > 0, confidenceLevel < 1 else {
        throw LearningError.invalidParameter("confidenceLevel (\(confidenceLevel)) must be strictly between 0 and 1.")
    }
    let n = Double(a.count)
    let d = zip(a, b).map { $0 - $1 }
    let m = mean(d)
    let variance = mean(d.map { ($0 - m) * ($0 - m) }) * (n / (n - 1))
    let se = (variance / n).squareRoot()
    let t = m / se
    let df = Double(a.count - 1)
    let p = t.isNaN ? Double.nan : 2 * StudentT.sf(abs(t), df)
    let tail = (1 - confidenceLevel) / 2
    let low = StudentT.quantile(tail, df) * se + m
    let high = StudentT.quantile(1 - tail, df) * se + m
    return PairedComparison(count: a.count, meanDifference: m, standardDeviation: variance.squareRoot(), standardError: se,
                            tStatistic: t, degreesOfFreedom: a.count - 1, pValue: p, confidenceLevel: confidenceLevel,
                            confidenceInterval: (low, high))
}

/// Student's t distribution with `df` degrees of freedom.
enum StudentT {
    /// P(T > t).
    static func sf(_ t: Double, _ df: Double) -> Double {
        if t.isInfinite { return t > 0 ? 0 : 1 }
        let x = df / (df + t * t)
        let tail = 0.5 * regularizedIncompleteBeta(df / 2, 0.5, x)
        return t >= 0 ? tail : 1 - tail
    }

    /// P(T ≤ t).
    static func cdf(_ t: Double, _ df: Double) -> Double {
        if t.isInfinite { return t > 0 ? 1 : 0 }
        let x = df / (df + t * t)
        let tail = 0.5 * regularizedIncompleteBeta(df / 2, 0.5, x)
        return t >= 0 ? 1 - tail : tail
    }

    static func pdf(_ t: Double, _ df: Double) -> Double {
        exp(lgamma((df + 1) / 2) - lgamma(df / 2) - 0.5 * log(df * Double.pi) - (df + 1) / 2 * log1p(t * t / df))
    }

    /// The t with P(T ≤ t) = q (scipy's `stdtrit(df, q)`).
    static func quantile(_ q: Double, _ df: Double) -> Double {
        if q <= 0 { return -.infinity }
        if q >= 1 { return .infinity }
        if q == 0.5 { return 0 }
        if q > 0.5 { return -quantile(1 - q, df) }
        // q < 0.5: t < 0. Closed forms for 1 and 2 degrees of freedom.
        if df == 1 { return tan(Double.pi * (q - 0.5)) }
        if df == 2 { return (2 * q - 1) / (2 * q * (1 - q)).squareRoot() }
        // Bracket, then Newton steps guarded by bisection, working on the lower tail P(T ≤ t) = q.
        var lo = -1.0, hi = 0.0
        while cdf(lo, df) > q { hi = lo; lo *= 2 }
        var t = (lo + hi) / 2
        for _ in 0..<200 {
            let f = cdf(t, df) - q
            if f == 0 { return t }
            if f > 0 { hi = t } else { lo = t }
            var next = t - f / pdf(t, df)
            if !(next > lo && next < hi) { next = (lo + hi) / 2 }
            if abs(next - t) <= 1e-16 * abs(t) { return next }
            t = next
        }
        return t
    }

    /// I_x(a, b), by the continued fraction (modified Lentz), using the symmetry for large x.
    static func regularizedIncompleteBeta(_ a: Double, _ b: Double, _ x: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let front = exp(lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x))
        if x > (a + 1) / (a + b + 2) {
            return 1 - front * continuedFraction(b, a, 1 - x) / b
        }
        return front * continuedFraction(a, b, x) / a
    }

    private static func continuedFraction(_ a: Double, _ b: Double, _ x: Double) -> Double {
        let tiny = 1e-300
        var c = 1.0
        var d = 1 - (a + b) * x / (a + 1)
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        for m in 1...10_000 {
            let m = Double(m)
            var numerator = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
            d = 1 + numerator * d
            if abs(d) < tiny { d = tiny }
            c = 1 + numerator / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            h *= d * c
            numerator = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
            d = 1 + numerator * d
            if abs(d) < tiny { d = tiny }
            c = 1 + numerator / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-16 { break }
        }
        return h
    }
}
