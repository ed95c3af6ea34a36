/// How many rows go to the test set: a fraction of the rows (rounded up) or a count.
enum TestSize: Sendable {
    case fraction(Double)
    case count(Int)

    /// scikit-learn's `_validate_shuffle_split` with `train_size=None`: (n_train, n_test).
    func resolve(samples n: Int) throws -> (train: Int, test: Int) {
        guard n > 0 else { throw LearningError.emptyData("There are no samples to split.") }
        let nTest: Int
        switch self {
        case let .fraction(size):
            guard size > 0, size < 1 else {
                throw LearningError.invalidParameter(
                    "The test size (\(size)) must be a fraction strictly between 0 and 1, or a row count.")
            }
            nTest = Int((size * Double(n)).rounded(.up))
        case let .count(count):
            guard count > 0, count < n else {
                throw LearningError.invalidParameter(
                    "The test count (\(count)) must be at least 1 and less than the number of samples (\(n)).")
            }
            nTest = count
        }
        let nTrain = n - nTest
        guard nTrain > 0 else {
            throw LearningError.invalidParameter(
                "With \(n) samples and a test size of \(self), the training set would be empty.")
        }
        return (nTrain, nTest)
    }
}

extension TestSize: CustomStringConvertible {
    var description: String {
        switch self {
        case let .fraction(size): "\(size)"
        case let .count(count): "\(count) rows"
        }
    }
}

// MARK: Indices

/// Row indices for a shuffled train/test split, equal to scikit-learn's
/// `train_test_split(range(count), test_size=testSize, random_state=randomState)`.
///
/// As scikit-learn's `ShuffleSplit`: `perm = RandomState(randomState).permutation(count)`,
/// `n_test = ceil(testSize · count)`, the test rows are `perm[:n_test]` and the training rows the rest,
/// both in permutation order.
public func trainTestSplitIndices(count: Int, testSize: Double = 0.25, randomState: Int) throws
    -> (train: [Int], test: [Int]) {
    try shuffleSplit(count: count, size: .fraction(testSize), randomState: randomState)
}

/// Row indices for a shuffled split with exactly `testCount` test rows (scikit-learn's integer `test_size`).
public func trainTestSplitIndices(count: Int, testCount: Int, randomState: Int) throws -> (train: [Int], test: [Int]) {
    try shuffleSplit(count: count, size: .count(testCount), randomState: randomState)
}

/// Row indices for a stratified split (each class keeps its share in both parts), equal to scikit-learn's
/// `train_test_split(..., test_size=testSize, random_state=randomState, stratify=stratify)`.
public func trainTestSplitIndices(stratify: [Int], testSize: Double = 0.25, randomState: Int) throws
    -> (train: [Int], test: [Int]) {
    try stratifiedSplit(stratify, size: .fraction(testSize), randomState: randomState)
}

/// Row indices for a stratified split with exactly `testCount` test rows.
public func trainTestSplitIndices(stratify: [Int], testCount: Int, randomState: Int) throws
    -> (train: [Int], test: [Int]) {
    try stratifiedSplit(stratify, size: .count(testCount), randomState: randomState)
}

// MARK: Arrays and tables

/// Splits features and labels into training and test parts, as scikit-learn's
/// `train_test_split(X, y, test_size=testSize, random_state=randomState, stratify=stratify)`.
public func trainTestSplit(_ x: [[Double]], _ y: [Int], testSize: Double = 0.25, randomState: Int,
                           stratify: [Int]? = nil) throws
    -> (xTrain: [[Double]], xTest: [[Double]], yTrain: [Int], yTest: [Int]) {
    try splitArrays(x, y, size: .fraction(testSize), randomState: randomState, stratify: stratify)
}

/// Splits features and labels with exactly `testCount` test rows.
public func trainTestSplit(_ x: [[Double]], _ y: [Int], testCount: Int, randomState: Int,
                           stratify: [Int]? = nil) throws
    -> (xTrain: [[Double]], xTest: [[Double]], yTrain: [Int], yTest: [Int]) {
    try splitArrays(x, y, size: .count(testCount), randomState: randomState, stratify: stratify)
}

/// Splits a table's rows (features and labels together) into training and test tables.
/// Pass `stratify: table.labels` for a stratified split.
public func trainTestSplit(_ table: Table, testSize: Double = 0.25, randomState: Int,
                           stratify: [Int]? = nil) throws -> (train: Table, test: Table) {
    try splitTable(table, size: .fraction(testSize), randomState: randomState, stratify: stratify)
}

/// Splits a table's rows with exactly `testCount` test rows.
public func trainTestSplit(_ table: Table, testCount: Int, randomState: Int,
                           stratify: [Int]? = nil) throws -> (train: Table, test: Table) {
    try splitTable(table, size: .count(testCount), randomState: randomState, stratify: stratify)
}

// MARK: Implementation

private func splitArrays(_ x: [[Double]], _ y: [Int], size: TestSize, randomState: Int, stratify: [Int]?) throws
    -> (xTrain: [[Double]], xTest: [[Double]], yTrain: [Int], yTest: [Int]) {
    guard x.count == y.count else { throw LearningError.labelCountMismatch(labels: y.count, samples: x.count) }
    let (train, test) = try indices(count: x.count, size: size, randomState: randomState, stratify: stratify)
    return (train.map { x[$0] }, test.map { x[$0] }, train.map { y[$0] }, test.map { y[$0] })
}

private func splitTable(_ table: Table, size: TestSize, randomState: Int, stratify: [Int]?) throws
    -> (train: Table, test: Table) {
    let (train, test) = try indices(count: table.rowCount, size: size, randomState: randomState, stratify: stratify)
    return (try table.rows(at: train), try table.rows(at: test))
}

private func indices(count: Int, size: TestSize, randomState: Int, stratify: [Int]?) throws
    -> (train: [Int], test: [Int]) {
    guard let stratify else { return try shuffleSplit(count: count, size: size, randomState: randomState) }
    guard stratify.count == count else {
        throw LearningError.labelCountMismatch(labels: stratify.count, samples: count)
    }
    return try stratifiedSplit(stratify, size: size, randomState: randomState)
}

/// scikit-learn's `ShuffleSplit._iter_indices`, first split.
private func shuffleSplit(count: Int, size: TestSize, randomState: Int) throws -> (train: [Int], test: [Int]) {
    let (nTrain, nTest) = try size.resolve(samples: count)
    var rng = try NumPyRandom(seed: randomState)
    let permutation = rng.permutation(count)
    return (Array(permutation[nTest..<(nTest + nTrain)]), Array(permutation[..<nTest]))
}

/// scikit-learn's `StratifiedShuffleSplit._iter_indices`, first split.
private func stratifiedSplit(_ y: [Int], size: TestSize, randomState: Int) throws -> (train: [Int], test: [Int]) {
    let (nTrain, nTest) = try size.resolve(samples: y.count)
    let classes = Array(Set(y)).sorted()
    var classIndex: [Int: Int] = [:]
    for (i, label) in classes.enumerated() { classIndex[label] = i }
    var members = [[Int]](repeating: [], count: classes.count)
    for (row, label) in y.enumerated() { members[classIndex[label] ?? 0].append(row) }
    let counts = members.map(\.count)
    if let smallest = counts.indices.min(by: { counts[$0] < counts[$1] }), counts[smallest] < 2 {
        let few = counts.indices.filter { counts[$0] < 2 }.map { String(classes[$0]) }.joined(separator: ", ")
        throw LearningError.invalidParameter(
            "Stratified splitting needs at least 2 samples of every class, but class\(few.contains(",") ? "es" : "") "
                + "\(few) \(few.contains(",") ? "have" : "has") only 1.")
    }
    guard nTrain >= classes.count else {
        throw LearningError.invalidParameter(
            "The training set (\(nTrain) rows) must be at least as large as the number of classes (\(classes.count)).")
    }
    guard nTest >= classes.count else {
        throw LearningError.invalidParameter(
            "The test set (\(nTest) rows) must be at least as large as the number of classes (\(classes.count)).")
    }
    var rng = try NumPyRandom(seed: randomState)
    let trainPerClass = approximateMode(counts, draws: nTrain, rng: &rng)
    let remaining = zip(counts, trainPerClass).map { $0 - $1 }
    let testPerClass = approximateMode(remaining, draws: nTest, rng: &rng)
    var train: [Int] = [], test: [Int] = []
    for i in classes.indices {
        let shuffled = rng.permutation(counts[i]).map { members[i][$0] }
        train += shuffled[..<trainPerClass[i]]
        test += shuffled[trainPerClass[i]..<(trainPerClass[i] + testPerClass[i])]
    }
    rng.shuffle(&train)
    rng.shuffle(&test)
    return (train, test)
}

/// scikit-learn's `_approximate_mode`: how many of `draws` to take from each class, proportionally,
/// handing out the rounding remainder largest-first and breaking ties with `rng.choice(replace=False)`.
func approximateMode(_ counts: [Int], draws: Int, rng: inout NumPyRandom) -> [Int] {
    let total = Double(counts.reduce(0, +))
    let continuous = counts.map { Double($0) / total * Double(draws) }
    var floored = continuous.map { $0.rounded(.down) }
    var needToAdd = Int(Double(draws) - Statistics.sum(floored))
    if needToAdd > 0 {
        let remainder = zip(continuous, floored).map { $0 - $1 }
        for value in Set(remainder).sorted(by: >) {
            let candidates = remainder.indices.filter { remainder[$0] == value }
            let addNow = min(candidates.count, needToAdd)
            for k in rng.permutation(candidates.count).prefix(addNow) {
                floored[candidates[k]] += 1
            }
            needToAdd -= addNow
            if needToAdd == 0 { break }
        }
    }
    return floored.map { Int($0) }
}
