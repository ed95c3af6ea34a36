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
