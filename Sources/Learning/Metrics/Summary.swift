import Foundation

/// The arithmetic mean of `values`, as numpy's `np.mean` computes it (numpy's pairwise sum divided by
/// the count), so results equal numpy's bit for bit. NaN for an empty array, as numpy gives (without
/// its warning).
public func mean(_ values: [Double]) -> Double {
    guard !values.isEmpty else { return .nan }
    return Statistics.sum(values) / Double(values.count)
}

/// The standard deviation of `values`, as numpy's `np.std(values, ddof=ddof)`: the square root of the
/// summed squared deviations from the mean divided by `n − ddof`. `ddof: 0` (the default, numpy's) is
/// the population standard deviation; `ddof: 1` is the sample standard deviation (pandas' default).
/// NaN when `n − ddof ≤ 0`, as numpy gives (without its warning).
public func std(_ values: [Double], ddof: Int = 0) -> Double {
    let divisor = values.count - ddof
    guard !values.isEmpty, divisor > 0 else { return .nan }
    let m = mean(values)
    return (Statistics.sum(values.map { ($0 - m) * ($0 - m) }) / Double(divisor)).squareRoot()
}

/// The mean of integer `values` (counts, labels, sizes) as a `Double`, as `np.mean` of an integer
/// array: `mean(values.map(Double.init))`, without the conversion at the call site. NaN when empty.
public func mean<Integer: BinaryInteger>(_ values: [Integer]) -> Double {
    mean(values.map { Double($0) })
}

/// The standard deviation of integer `values`, as `np.std(values, ddof=ddof)`; see `std(_:ddof:)`.
public func std<Integer: BinaryInteger>(_ values: [Integer], ddof: Int = 0) -> Double {
    std(values.map { Double($0) }, ddof: ddof)
}

extension Collection {
    /// The share of elements for which `predicate` holds, in [0, 1] (NaN for an empty collection),
    /// e.g. `labels.fraction { $0 == 1 }` for `Double(labels.filter { $0 == 1 }.count) / Double(labels.count)`
    /// (numpy's `np.mean(condition)`).
    public func fraction(where predicate: (Element) throws -> Bool) rethrows -> Double {
        guard !isEmpty else { return .nan }
        var hits = 0
        for element in self where try predicate(element) { hits += 1 }
        return Double(hits) / Double(count)
    }
}
