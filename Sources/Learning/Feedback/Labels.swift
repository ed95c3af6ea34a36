/// How a simulated labeller gets labels wrong.
public enum LabelNoise: Sendable, Hashable, CustomStringConvertible {
    /// Every label is the true one.
    case none
    /// With this probability a label is replaced by another class, chosen uniformly among the other
    /// classes the loop knows (the labels of the initial data and the source, ascending). For two
    /// classes that is a flip. Symmetric label noise, as in `Datasets.noisyLinear`'s `labelNoise`.
    case flip(probability: Double)
    /// Per-class confusion: `matrix[i][j]` is the probability that a row whose true class is
    /// `classes[i]` is labelled `classes[j]` (rows are true classes and columns given labels, the
    /// orientation of scikit-learn's `confusion_matrix`; each row sums to 1). A row whose true class is
    /// not in `classes` keeps its label. cleanlab's `noise_matrix` is the transpose of this matrix.
    case confusion(classes: [Int], matrix: [[Double]])

    /// E.g. "10% flipped" or "per-class confusion".
    public var description: String {
        switch self {
        case .none: "no noise"
        case let .flip(p): "\(formatPercent(p)) flipped"
        case .confusion: "per-class confusion"
        }
    }
}

/// A simulated person who labels the rows a feedback loop asks about, as labels arrive in real
/// systems: sometimes wrong (`noise`), late (`delay` rounds), and at a price (`costPerLabel`, up to a
/// `budget`).
///
/// ```swift
/// let tired = Labeller(noise: .flip(probability: 0.1), delay: 2, costPerLabel: 1, budget: 120, randomState: 3)
/// let loop = FeedbackLoop(update: .retrainOnAll, query: .leastConfident(budget: 50), labeller: tired, randomState: 7)
/// ```
/// Randomness: a labeller with noise draws from its own `NumPyRandom(seed: randomState)`, one
/// `randomSample()` per label in the order the labels are asked for, and for `.flip` with more than two
/// classes one `randint(0, k − 1)` more for each flipped label (the index among the other classes);
/// the loop's own random stream is untouched, so adding a labeller does not change which rows are
/// queried. `.confusion` picks the first class whose cumulative probability exceeds the draw
/// (numpy's `searchsorted(cumsum(row), u, side="right")`). Give the labeller a seed other than the
/// loop's `randomState`: two generators with one seed draw the same numbers, which would tie the noise
/// to the random queries.
public struct Labeller: Sendable, Hashable, CustomStringConvertible {
    /// How labels go wrong.
    public var noise: LabelNoise
    /// Rounds between a row being asked about and its label arriving: a row queried in round r is
    /// learned from in round r + delay (0: the same round). Labels due after the last round never arrive.
    public var delay: Int
    /// What one label costs, in the budget's units (e.g. dollars or minutes). At least 0.
    public var costPerLabel: Double
    /// The most the run may spend on labels (nil: no limit). Queried rows are paid for in row order;
    /// once the next label would take the spending past the budget, no more rows are labelled.
    public var budget: Double?
    /// The seed of the labeller's own random stream (used only by noise).
    public var randomState: Int

    /// A perfect labeller: true labels, at once, for free, without limit (the loop's default).
    public static let oracle = Labeller(noise: .none, delay: 0, costPerLabel: 0, budget: nil, randomState: 0)

    /// A labeller; see the properties. `run` throws `LearningError.invalidParameter` for a probability
    /// outside [0, 1], a confusion matrix that is not k × k with rows of non-negative numbers summing to
    /// 1 (within 1e-9), repeated classes, a negative delay or cost, a negative budget, or a seed outside
    /// 0...2³²−1.
    public init(noise: LabelNoise = .none, delay: Int = 0, costPerLabel: Double = 1, budget: Double? = nil,
                randomState: Int) {
        self.noise = noise
        self.delay = delay
        self.costPerLabel = costPerLabel
        self.budget = budget
        self.randomState = randomState
    }

    /// E.g. "10% flipped, 2 rounds late, budget 120". The oracle is "perfect labeller".
    public var description: String {
        var parts: [String] = []
        if noise != .none { parts.append(noise.description) }
        if delay > 0 { parts.append(delay == 1 ? "1 round late" : "\(delay) rounds late") }
        if let budget { parts.append("budget \(formatNumber(budget))") }
        return parts.isEmpty ? "perfect labeller" : parts.joined(separator: ", ")
    }

    func validate() throws {
        guard delay >= 0 else { throw LearningError.invalidParameter("The labeller's delay (\(delay)) must not be negative.") }
        guard costPerLabel >= 0, costPerLabel.isFinite else {
            throw LearningError.invalidParameter("costPerLabel (\(costPerLabel)) must be a finite number of at least 0.")
        }
        if let budget, !(budget >= 0) {
            throw LearningError.invalidParameter("The label budget (\(budget)) must not be negative.")
        }
        guard (0...Int(UInt32.max)).contains(randomState) else {
            throw LearningError.invalidParameter("The labeller's randomState (\(randomState)) must be between 0 and 4294967295.")
        }
        switch noise {
        case .none: break
        case let .flip(p):
            guard (0...1).contains(p) else {
                throw LearningError.invalidParameter("The flip probability (\(p)) must be between 0 and 1.")
            }
        case let .confusion(classes, matrix):
            guard Set(classes).count == classes.count, !classes.isEmpty else {
                throw LearningError.invalidParameter("The confusion classes (\(classes)) must be non-empty and distinct.")
            }
            guard matrix.count == classes.count, matrix.allSatisfy({ $0.count == classes.count }) else {
                throw LearningError.invalidParameter(
                    "The confusion matrix must be \(classes.count) × \(classes.count), one row and one column per class of \(classes).")
            }
            for (i, row) in matrix.enumerated() {
                guard row.allSatisfy({ $0 >= 0 }), abs(row.reduce(0, +) - 1) <= 1e-9 else {
                    throw LearningError.invalidParameter(
                        "Row \(i) of the confusion matrix (true class \(classes[i])) is \(row); its probabilities must be at least 0 and sum to 1.")
                }
            }
        }
    }

    /// The label this labeller gives a row whose true label is `trueLabel`; `classes` are the classes
    /// the loop knows, ascending.
    func label(_ trueLabel: Int, classes: [Int], rng: inout NumPyRandom) -> Int {
        switch noise {
        case .none:
            return trueLabel
        case let .flip(p):
            let u = rng.randomSample()
            let others = classes.filter { $0 != trueLabel }
            guard u < p, !others.isEmpty else { return trueLabel }
            return others.count == 1 ? others[0] : others[rng.randint(0, others.count)]
        case let .confusion(classes, matrix):
            let u = rng.randomSample()
            guard let i = classes.firstIndex(of: trueLabel) else { return trueLabel }
            var cumulative = 0.0
            for (j, p) in matrix[i].enumerated() {
                cumulative += p
                if u < cumulative { return classes[j] }
            }
            return classes[matrix[i].lastIndex(where: { $0 > 0 }) ?? i]
        }
    }
}

/// Selective labels: the outcome of a row is seen only if the model accepted it — a loan is repaid
/// or not only if it was granted, a transaction is confirmed as fraud only if it was blocked and
/// checked. A row the model rejects never gets a label, so its mistakes on rejected rows stay hidden
/// from the loop (the holdout, fully labelled, still sees them). This is the "selective labels
/// problem" of Lakkaraju et al. (KDD 2017).
///
/// `exploration` accepts a random slice of the rejected rows anyway, ε-greedy style (as a contextual
/// bandit explores), so the loop can find the mistakes it would otherwise hide: each rejected
/// candidate is accepted when a `randomSample()` from `NumPyRandom(seed: randomState)` is below
/// `exploration`, one draw per rejected candidate in row order, every round.
public struct SelectiveLabels: Sendable, Hashable, CustomStringConvertible {
    /// The prediction that means "accepted" (e.g. 1 for "grant the loan").
    public var accepted: Int
    /// The share of rejected rows accepted anyway, in [0, 1].
    public var exploration: Double
    /// The seed of the exploration draws.
    public var randomState: Int

    public init(accepted: Int, exploration: Double = 0, randomState: Int) {
        self.accepted = accepted
        self.exploration = exploration
        self.randomState = randomState
    }

    /// E.g. "labels only when 1 is predicted, 10% explored".
    public var description: String {
        "labels only when \(accepted) is predicted" + (exploration > 0 ? ", \(formatPercent(exploration)) explored" : "")
    }

    func validate() throws {
        guard (0...1).contains(exploration) else {
            throw LearningError.invalidParameter("exploration (\(exploration)) must be between 0 and 1.")
        }
        guard (0...Int(UInt32.max)).contains(randomState) else {
            throw LearningError.invalidParameter(
                "The selective labels' randomState (\(randomState)) must be between 0 and 4294967295.")
        }
    }
}

/// "10%", "12.5%".
private func formatPercent(_ fraction: Double) -> String {
    formatNumber(fraction * 100) + "%"
}

/// A number without a trailing ".0": "120", "12.5".
private func formatNumber(_ value: Double) -> String {
    value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
}
