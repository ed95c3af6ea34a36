import Foundation

extension NumPyRandom {
    /// One draw of legacy `RandomState.binomial(n, p)` (numpy's `random_binomial`): the inversion
    /// algorithm for `n·min(p, 1−p) ≤ 30`. Larger means (numpy's BTPE algorithm) are not implemented
    /// and throw `LearningError.invalidParameter`, as do `n < 0` and `p` outside [0, 1].
    public mutating func binomial(_ n: Int, _ p: Double) throws -> Int {
        guard n >= 0 else { throw LearningError.invalidParameter("binomial needs n (\(n)) to be at least 0.") }
        guard p >= 0, p <= 1 else {
            throw LearningError.invalidParameter("binomial needs p (\(p)) to be between 0 and 1.")
        }
        if n == 0 || p == 0 { return 0 }
        if p <= 0.5 {
            guard p * Double(n) <= 30 else { throw btpeUnsupported(n, p) }
            return binomialInversion(n, p)
        }
        let q = 1.0 - p
        guard q * Double(n) <= 30 else { throw btpeUnsupported(n, p) }
        return n - binomialInversion(n, q)
    }

    private func btpeUnsupported(_ n: Int, _ p: Double) -> LearningError {
        .invalidParameter("binomial(\(n), \(p)) would need numpy's BTPE algorithm (n·min(p, 1−p) above 30), which is not implemented.")
    }

    /// numpy's `random_binomial_inversion`.
    private mutating func binomialInversion(_ n: Int, _ p: Double) -> Int {
        let q = 1.0 - p
        let qn = exp(Double(n) * log(q))
        let np = Double(n) * p
        let bound = Int(min(Double(n), np + 10.0 * (np * q + 1).squareRoot()))
        var x = 0
        var px = qn
        var u = randomSample()
        while u > px {
            x += 1
            if x > bound {
                x = 0
                px = qn
                u = randomSample()
            } else {
                u -= px
                px = (Double(n - x + 1) * p * px) / (Double(x) * q)
            }
        }
        return x
    }

    /// One draw of legacy `RandomState.multinomial(n, pvals)` (numpy's `random_multinomial`): a count per
    /// category, k counts summing to n, drawn as successive binomials of the remaining probability.
    /// Throws for negative or non-finite probabilities or ones summing above 1 + 1e-12, as numpy does.
    public mutating func multinomial(_ n: Int, _ pvals: [Double]) throws -> [Int] {
        guard !pvals.isEmpty else { throw LearningError.invalidParameter("multinomial needs at least one probability.") }
        guard pvals.allSatisfy({ $0 >= 0 && $0 <= 1 }) else {
            throw LearningError.invalidParameter("multinomial needs every probability in [0, 1]; got \(pvals).")
        }
        guard pvals.dropLast().reduce(0, +) <= 1 + 1e-12 else {
            throw LearningError.invalidParameter("multinomial needs the probabilities (but the last) to sum to at most 1; got \(pvals).")
        }
        var counts = [Int](repeating: 0, count: pvals.count)
        var remaining = 1.0
        var left = n
        for j in 0..<(pvals.count - 1) {
            counts[j] = try binomial(left, min(1, pvals[j] / remaining))
            left -= counts[j]
            if left <= 0 { break }
            remaining -= pvals[j]
        }
        if left > 0 { counts[pvals.count - 1] = left }
        return counts
    }
}
