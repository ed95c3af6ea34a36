/// One column's summary statistics, as a row of pandas' `describe()`.
///
/// Missing values (NaN) are skipped, as pandas skips them; statistics of no values are NaN.
public struct ColumnSummary: Sendable, Equatable {
    /// The column's name.
    public let name: String
    /// The number of non-missing values.
    public let count: Int
    /// The arithmetic mean (numpy's pairwise summation, so it equals pandas bit for bit).
    public let mean: Double
    /// The sample standard deviation (ddof = 1, like pandas; NaN for fewer than two values).
    public let std: Double
    /// The smallest value.
    public let min: Double
    /// The 25th percentile (linear interpolation, like pandas and numpy's default).
    public let p25: Double
    /// The median.
    public let p50: Double
    /// The 75th percentile.
    public let p75: Double
    /// The largest value.
    public let max: Double

    /// Summarises `values` under `name`.
    public init(name: String, values: [Double]) {
        let present = values.filter { !$0.isNaN }
        let sorted = present.sorted()
        let count = present.count
        self.name = name
        self.count = count
        if count == 0 {
            mean = .nan; std = .nan; min = .nan; p25 = .nan; p50 = .nan; p75 = .nan; max = .nan
            return
        }
        // pandas sums with missing values replaced by zeros (which shapes numpy's pairwise order).
        let mean = Statistics.sum(values.map { $0.isNaN ? 0 : $0 }) / Double(count)
        self.mean = mean
        let squares = values.map { $0.isNaN ? 0 : (mean - $0) * (mean - $0) }
        self.std = count > 1 ? (Statistics.sum(squares) / Double(count - 1)).squareRoot() : .nan
        self.min = sorted[0]
        self.max = sorted[count - 1]
        self.p25 = Statistics.quantile(sorted: sorted, 0.25)
        self.p50 = Statistics.quantile(sorted: sorted, 0.5)
        self.p75 = Statistics.quantile(sorted: sorted, 0.75)
    }
}

extension Table {
    /// Summary statistics of every feature column, in column order (pandas' `describe()` of the features).
    public func describe() -> [ColumnSummary] {
        zip(columnNames, columns).map { ColumnSummary(name: $0, values: $1) }
    }
}

/// numpy's arithmetic, reproduced where pandas' results depend on its order of operations.
enum Statistics {
    /// numpy's pairwise sum of doubles (`np.sum`): blocks of up to 128 with 8 accumulators, halves above.
    static func sum(_ values: [Double]) -> Double {
        values.withUnsafeBufferPointer { 0.0 + pairwiseSum($0[...]) }
    }

    private static func pairwiseSum(_ a: Slice<UnsafeBufferPointer<Double>>) -> Double {
        let n = a.count, start = a.startIndex
        if n < 8 {
            var result = 0.0
            for value in a { result += value }
            return result
        }
        if n <= 128 {
            var r0 = a[start], r1 = a[start + 1], r2 = a[start + 2], r3 = a[start + 3]
            var r4 = a[start + 4], r5 = a[start + 5], r6 = a[start + 6], r7 = a[start + 7]
            var i = 8
            while i < n - n % 8 {
                let p = start + i
                r0 += a[p]; r1 += a[p + 1]; r2 += a[p + 2]; r3 += a[p + 3]
                r4 += a[p + 4]; r5 += a[p + 5]; r6 += a[p + 6]; r7 += a[p + 7]
                i += 8
            }
            var result = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
            while i < n {
                result += a[start + i]
                i += 1
            }
            return result
        }
        var half = n / 2
        half -= half % 8
        return pairwiseSum(a[start..<(start + half)]) + pairwiseSum(a[(start + half)...])
    }

    /// numpy's `quantile(..., method="linear")` of sorted values (not empty), including its `_lerp`.
    static func quantile(sorted: [Double], _ q: Double) -> Double {
        let virtualIndex = Double(sorted.count - 1) * q
        let previous = virtualIndex.rounded(.down)
        let gamma = virtualIndex - previous
        let lower = Int(previous)
        let upper = Swift.min(lower + 1, sorted.count - 1)
        let a = sorted[lower], b = sorted[upper]
        let difference = b - a
        return gamma >= 0.5 ? b - difference * (1 - gamma) : a + difference * gamma
    }
}
