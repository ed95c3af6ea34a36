/// One train/test split of a cross-validation: row indices, each list ascending.
public struct Fold: Sendable, Equatable, Hashable {
    /// The rows to fit on, ascending.
    public var train: [Int]
    /// The rows to score on, ascending.
    public var test: [Int]

    public init(train: [Int], test: [Int]) {
        self.train = train
        self.test = test
    }
}

/// A way of cutting n rows into train/test folds (scikit-learn's cross-validation splitters).
public protocol CrossValidator: Sendable {
    /// The number of folds `split` gives (`get_n_splits()`).
    var nSplits: Int { get }
    /// The folds for the rows of `y` (n labels; splitters that ignore labels only use the count), as
    /// scikit-learn's `split(X, y)` yields them. Throws `LearningError.invalidParameter` when the rows
    /// cannot be split so.
    func split(_ y: [Int]) throws -> [Fold]
}

/// K consecutive folds, optionally shuffled first (scikit-learn's `KFold`).
///
/// The first `n % nSplits` folds hold `n / nSplits + 1` rows, the others `n / nSplits`. With `shuffle`,
/// the row order is first shuffled by `NumPyRandom(seed: randomState).shuffle` (scikit-learn's
/// `check_random_state(random_state).shuffle(indices)`), afresh at every `split`, so an integer
/// `randomState` gives scikit-learn's folds exactly. Each fold's train and test lists are ascending, as
/// scikit-learn returns them.
public struct KFold: CrossValidator, Equatable, Hashable {
    /// The number of folds (≥ 2).
    public let nSplits: Int
    /// Whether to shuffle the rows before cutting them into folds.
    public let shuffle: Bool
    /// The shuffle's seed; `nil` with `shuffle` draws a new seed at each `split`.
    public let randomState: Int?

    /// Throws `LearningError.invalidParameter` for `nSplits` below 2, and for a `randomState` without
    /// `shuffle` (scikit-learn: "Setting a random_state has no effect since shuffle is False").
    public init(nSplits: Int = 5, shuffle: Bool = false, randomState: Int? = nil) throws {
        try checkSplitter(nSplits: nSplits, shuffle: shuffle, randomState: randomState)
        self.nSplits = nSplits
        self.shuffle = shuffle
        self.randomState = randomState
    }

    /// The folds of `count` rows. Throws when `nSplits` exceeds `count`.
    public func split(count: Int) throws -> [Fold] {
        guard nSplits <= count else {
            throw LearningError.invalidParameter(
                "Cannot have number of splits nSplits=\(nSplits) greater than the number of samples: n_samples=\(count).")
        }
        var indices = Array(0..<count)
        if shuffle {
            var rng = try NumPyRandom(seed: randomState ?? Int(UInt32.random(in: 0...UInt32.max)))
            rng.shuffle(&indices)
        }
        var folds: [Fold] = []
        var start = 0
        for f in 0..<nSplits {
            let size = count / nSplits + (f < count % nSplits ? 1 : 0)
            folds.append(fold(testRows: indices[start..<(start + size)], count: count))
            start += size
        }
        return folds
    }

    /// The folds of the rows of `y`; only its count matters.
    public func split(_ y: [Int]) throws -> [Fold] { try split(count: y.count) }
}

/// K folds that each keep every class's share of the rows (scikit-learn's `StratifiedKFold`).
///
/// As scikit-learn 1.9.1's `_make_test_folds`: classes are numbered in order of first appearance in `y`;
/// the labels sorted by that number are dealt round-robin to the folds to fix how many rows of each
/// class each fold gets; then each class's rows, in their order in `y`, are given fold numbers in
/// blocks (fold 0's rows first). With `shuffle`, each class's block of fold numbers is shuffled by one
/// `NumPyRandom(seed: randomState)`, class by class, so an integer `randomState` gives scikit-learn's
/// folds exactly. Each fold's train and test lists are ascending.
///
/// Warns (`UserWarning`, scikit-learn's words) when the least populated class has fewer rows than
/// `nSplits`, and throws when every class has.
public struct StratifiedKFold: CrossValidator, Equatable, Hashable {
    /// The number of folds (≥ 2).
    public let nSplits: Int
    /// Whether to shuffle each class's rows among the folds.
    public let shuffle: Bool
    /// The shuffle's seed; `nil` with `shuffle` draws a new seed at each `split`.
    public let randomState: Int?

    /// Throws as `KFold.init`.
    public init(nSplits: Int = 5, shuffle: Bool = false, randomState: Int? = nil) throws {
        try checkSplitter(nSplits: nSplits, shuffle: shuffle, randomState: randomState)
        self.nSplits = nSplits
        self.shuffle = shuffle
        self.randomState = randomState
    }

    /// The fold number (0..<nSplits) of each row of `y` (scikit-learn's `_make_test_folds`).
    public func testFolds(_ y: [Int]) throws -> [Int] {
        guard nSplits <= y.count else {
            throw LearningError.invalidParameter(
                "Cannot have number of splits nSplits=\(nSplits) greater than the number of samples: n_samples=\(y.count).")
        }
        var rng = try NumPyRandom(seed: randomState ?? Int(UInt32.random(in: 0...UInt32.max)))
        // Classes numbered by first appearance.
        var code: [Int: Int] = [:]
        var encoded: [Int] = []
        encoded.reserveCapacity(y.count)
        for label in y {
            if code[label] == nil { code[label] = code.count }
            encoded.append(code[label]!)
        }
        let nClasses = code.count
        var counts = [Int](repeating: 0, count: nClasses)
        for c in encoded { counts[c] += 1 }
        if counts.allSatisfy({ nSplits > $0 }) {
            throw LearningError.invalidParameter(
                "nSplits=\(nSplits) cannot be greater than the number of members in each class; the largest class has \(counts.max() ?? 0) rows.")
        }
        if let fewest = counts.min(), nSplits > fewest {
            warn(LearningWarning(.userWarning,
                                 "The least populated class in y has only \(fewest) members, which is less than n_splits=\(nSplits)."))
        }
        // allocation[f][k]: rows of class k in fold f, dealing the sorted codes round-robin.
        let sorted = encoded.sorted()
        var allocation = [[Int]](repeating: [Int](repeating: 0, count: nClasses), count: nSplits)
        for (i, c) in sorted.enumerated() { allocation[i % nSplits][c] += 1 }
        var folds = [Int](repeating: 0, count: y.count)
        var rowsOfClass = [[Int]](repeating: [], count: nClasses)
        for (row, c) in encoded.enumerated() { rowsOfClass[c].append(row) }
        for k in 0..<nClasses {
            var foldsForClass: [Int] = []
            for f in 0..<nSplits { foldsForClass += [Int](repeating: f, count: allocation[f][k]) }
            if shuffle { rng.shuffle(&foldsForClass) }
            for (row, f) in zip(rowsOfClass[k], foldsForClass) { folds[row] = f }
        }
        return folds
    }

    /// The folds of the rows of `y` (n labels). Throws when `nSplits` exceeds n or every class's count.
    public func split(_ y: [Int]) throws -> [Fold] {
        let folds = try testFolds(y)
        return (0..<nSplits).map { f in
            Fold(train: folds.indices.filter { folds[$0] != f }, test: folds.indices.filter { folds[$0] == f })
        }
    }
}

private func checkSplitter(nSplits: Int, shuffle: Bool, randomState: Int?) throws {
    guard nSplits >= 2 else {
        throw LearningError.invalidParameter(
            "k-fold cross-validation requires at least one train/test split by setting nSplits=2 or more, got nSplits=\(nSplits).")
    }
    if !shuffle, randomState != nil {
        throw LearningError.invalidParameter(
            "Setting a randomState has no effect since shuffle is false; leave randomState nil or set shuffle: true.")
    }
    if let randomState { _ = try NumPyRandom(seed: randomState) }
}

private func fold(testRows: ArraySlice<Int>, count: Int) -> Fold {
    var isTest = [Bool](repeating: false, count: count)
    for row in testRows { isTest[row] = true }
    return Fold(train: (0..<count).filter { !isTest[$0] }, test: (0..<count).filter { isTest[$0] })
}
