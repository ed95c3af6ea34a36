/// What a feedback loop does with the labels it gets back each round.
///
/// `description` gives the book's name for each strategy, e.g. "retrain on everything labelled".
public enum UpdateStrategy: Sendable, Hashable, CustomStringConvertible {
    /// The tutorial's update: refit on only this round's corrections (wrong predictions); everything
    /// learned before is thrown away. Rounds without corrections leave the model as it is.
    case refitOnCorrectionsOnly
    /// Retrain from scratch on the initial data plus every row labelled so far.
    case retrainOnAll
    /// Retrain from scratch on the initial data plus every correction so far (rows predicted right are
    /// not added).
    case retrainOnInitialPlusCorrections
    /// Keep the trees and add this many new ones, grown on the initial data plus every row labelled so
    /// far (scikit-learn's `warm_start`). The old trees never see the new rows. Like scikit-learn, it
    /// needs the same classes in every fit, so a class first seen in feedback makes `run` throw.
    case warmStart(treesPerRound: Int)
    /// Retrain from scratch on the most recent rows only: the initial data followed by the labelled rows
    /// in the order they came, of which the last `rows` are kept. Lets a model follow drift.
    case recentWindow(rows: Int)

    /// The earlier name of `refitOnCorrectionsOnly` ("feedback" in the book means every label a person
    /// gives, right or wrong; this strategy keeps only the corrections).
    @available(*, deprecated, renamed: "refitOnCorrectionsOnly")
    public static var refitOnFeedbackOnly: UpdateStrategy { .refitOnCorrectionsOnly }

    /// The book's name for the strategy, e.g. "retrain on a recent window of 200 rows".
    public var description: String {
        switch self {
        case .refitOnCorrectionsOnly: "refit on corrections only"
        case .retrainOnAll: "retrain on everything labelled"
        case .retrainOnInitialPlusCorrections: "retrain on initial data plus corrections"
        case let .warmStart(k): "add trees (warm start, \(k) a round)"
        case let .recentWindow(n): "retrain on a recent window of \(n) rows"
        }
    }
}

/// Which rows a feedback loop asks a person to label each round.
public enum QueryStrategy: Sendable, Hashable, CustomStringConvertible {
    /// Every candidate row.
    case all
    /// `budget` candidate rows chosen at random (from the loop's `randomState`).
    case random(budget: Int)
    /// The `budget` candidate rows whose highest class probability is lowest (ties: earlier rows first).
    case leastConfident(budget: Int)
    /// The `budget` candidate rows whose two most likely classes are closest in probability
    /// (`Uncertainty.margin`; ties: earlier rows first).
    case margin(budget: Int)
    /// The `budget` candidate rows whose class probabilities have the highest entropy
    /// (`Uncertainty.entropy`; ties: earlier rows first).
    case entropy(budget: Int)
    /// Query by committee: the `budget` candidate rows on which a forest's trees disagree most, by the
    /// entropy of their votes (`Uncertainty.voteEntropy`; ties: earlier rows first). Needs a
    /// `RandomForestClassifier`; other models make `run` throw.
    case committee(budget: Int)
    /// A mix that keeps part of the label budget random, so the model also sees rows it is sure about:
    /// `(budget · randomFraction).rounded()` rows at random (from the loop's `randomState`) among the
    /// candidates left after the rest of the budget goes to the least confident rows.
    case mixed(budget: Int, randomFraction: Double)
    /// Stream-based selective sampling: the candidates are taken as a stream, in row order, and a row
    /// is labelled when its least-confident uncertainty `1 − max p` is at least `threshold`, until
    /// `budget` rows have been labelled this round (so a round may label fewer). This is modAL's
    /// stream-based sampling (`classifier_uncertainty(learner, x) >= threshold` for each arriving `x`),
    /// with the model updated once per round rather than after each label. Unlike `.leastConfident`, it
    /// never sees the rows still to come: an early row that passes is taken even if a later one is more
    /// uncertain.
    case selectiveSampling(threshold: Double, budget: Int)

    public var description: String {
        switch self {
        case .all: "label all"
        case let .random(b): "random \(b)"
        case let .leastConfident(b): "least confident \(b)"
        case let .margin(b): "margin \(b)"
        case let .entropy(b): "entropy \(b)"
        case let .committee(b): "query by committee \(b)"
        case let .mixed(b, f): "least confident \(b) with \(Int((f * 100).rounded()))% random"
        case let .selectiveSampling(t, b): "stream sampling above \(t) uncertainty, up to \(b)"
        }
    }

    /// The rows this strategy asks about, ascending, given the candidates' class probabilities
    /// (n rows × k classes, as `predictProba` gives) and, for `.committee`, the committee's votes
    /// (members × n labels, e.g. each tree's `predict`). `.random` and `.mixed` draw from `rng` (with
    /// `permutation`, as the loop does). Throws `LearningError.invalidParameter` for `.committee`
    /// without votes and for invalid settings (a budget below 1, a fraction or threshold outside [0, 1]).
    public func select(_ proba: [[Double]], votes: [[Int]]? = nil, using rng: inout NumPyRandom) throws -> [Int] {
        try validate()
        let n = proba.count
        switch self {
        case .all:
            return Array(0..<n)
        case let .random(budget):
            return rng.permutation(n).prefix(budget).sorted()
        case let .leastConfident(budget):
            let confidence = proba.map { $0.max() ?? 0 }
            let ranked = (0..<n).sorted { confidence[$0] != confidence[$1] ? confidence[$0] < confidence[$1] : $0 < $1 }
            return ranked.prefix(budget).sorted()
        case let .margin(budget):
            return Uncertainty.top(Uncertainty.margin(proba), budget: budget)
        case let .entropy(budget):
            return Uncertainty.top(Uncertainty.entropy(proba), budget: budget)
        case let .committee(budget):
            guard let votes else {
                throw LearningError.invalidParameter("Query by committee needs the committee's votes; pass votes: (one array of labels per member).")
            }
            return Uncertainty.top(Uncertainty.voteEntropy(votes), budget: budget)
        case let .mixed(budget, fraction):
            let randomCount = min(Int((Double(budget) * fraction).rounded()), budget)
            let confidence = proba.map { $0.max() ?? 0 }
            let ranked = (0..<n).sorted { confidence[$0] != confidence[$1] ? confidence[$0] < confidence[$1] : $0 < $1 }
            let uncertain = Array(ranked.prefix(budget - randomCount))
            let rest = ranked.dropFirst(budget - randomCount).sorted()
            let random = rng.permutation(rest.count).prefix(randomCount).map { rest[$0] }
            return (uncertain + random).sorted()
        case let .selectiveSampling(threshold, budget):
            return Uncertainty.selectiveSampling(proba, threshold: threshold, budget: budget)
        }
    }

    func validate() throws {
        switch self {
        case let .random(b) where b < 1, let .leastConfident(b) where b < 1, let .margin(b) where b < 1,
             let .entropy(b) where b < 1, let .committee(b) where b < 1, let .mixed(b, _) where b < 1,
             let .selectiveSampling(_, b) where b < 1:
            throw LearningError.invalidParameter("The query budget (\(b)) must be at least 1.")
        case let .mixed(_, f) where !(0...1).contains(f):
            throw LearningError.invalidParameter("randomFraction (\(f)) must be between 0 and 1.")
        case let .selectiveSampling(t, _) where !(0...1).contains(t):
            throw LearningError.invalidParameter("The uncertainty threshold (\(t)) must be between 0 and 1.")
        default: break
        }
    }
}

/// Where the rows of each round come from.
public enum FeedbackSource: Sendable, Equatable {
    /// A stream: round `i` sees batch `i` (new rows every round).
    case stream([Dataset])
    /// A pool of unlabelled rows: each round picks from the rows not yet labelled; the loop stops early
    /// when the pool runs out.
    case pool(Dataset, rounds: Int)
    /// The same rows every round, as the tutorial re-checks its test set; a row is labelled once but
    /// can be found wrong again.
    case repeated(Dataset, rounds: Int)
}

/// What happened in one round of a feedback loop. Round 0 is the initial training.
public struct FeedbackRound: Sendable, Equatable, Codable {
    /// The round number; 0 is the state after the initial fit.
    public var round: Int
    /// Rows sent to be labelled this round (picked by the query strategy, labellable under
    /// `selectiveLabels`, and paid for within the labeller's budget); with a delay, their labels come later.
    public var queried: Int
    /// Distinct rows whose label has arrived so far, over all rounds (the initial data not counted).
    public var labelledRows: Int
    /// Wrong predictions found among the labels that arrived this round: rows whose given label (noisy
    /// or not) differs from the prediction made when they were queried.
    public var corrections: Int
    /// Accuracy on this round's candidate rows before the update: what users experienced (nil in round 0).
    public var accuracyBefore: Double?
    /// Accuracy on the same candidate rows after the update: the tutorial's "new accuracy" (nil in round 0).
    public var accuracyAfter: Double?
    /// Accuracy after the update on the rows corrected this round; near 1 when the model was refit on
    /// exactly them, which proves nothing (nil when there were no corrections).
    public var correctedAccuracy: Double?
    /// Accuracy after the update on the holdout, which feedback never touches: the honest number.
    public var holdoutAccuracy: Double
    /// Rows in the model's most recent fit.
    public var trainingSize: Int
    /// Trees in the forest after the update (1 for a `DecisionTreeClassifier`, 0 for other non-forest models).
    public var treeCount: Int
    /// Labels that arrived this round (the rows queried `labeller.delay` rounds ago); equals `queried`
    /// with an immediate labeller.
    public var labelsArrived: Int = 0
    /// Arrived labels that differ from the true label (the labeller's noise); 0 for a perfect labeller.
    public var wrongLabels: Int = 0
    /// What the labels asked for so far cost in total (`queried` summed × `labeller.costPerLabel`).
    public var labelCost: Double = 0
}

/// One run of a feedback loop with a random forest (the book's loop): see `FeedbackRunOf`.
public typealias FeedbackRun = FeedbackRunOf<RandomForestClassifier>

/// One run of a feedback loop: its strategies, seed and rounds, and the model it ended with.
public struct FeedbackRunOf<Model: Classifier>: Sendable {
    public var update: UpdateStrategy
    public var query: QueryStrategy
    /// The seed the run used for the model, the random queries and (via `FeedbackLoop.compare`) the data.
    public var seed: Int
    /// Round 0 (initial fit) and then one record per round.
    public var rounds: [FeedbackRound]
    /// The model after the last round, e.g. for a confusion matrix or a classification report.
    public var model: Model
    /// The rows of the model's most recent fit, in the order they were used (for `.warmStart`, the rows
    /// its newest trees were grown on). Its count is the last round's `trainingSize`.
    public var trainingData: Dataset

    /// The holdout accuracy after the last round.
    public var finalHoldoutAccuracy: Double { rounds.last?.holdoutAccuracy ?? 0 }
}

extension FeedbackRunOf: Equatable where Model: Equatable {}

/// The mean holdout accuracy per round of several runs of the same strategies (over seeds).
public struct FeedbackAverage: Sendable, Equatable {
    public var update: UpdateStrategy
    public var query: QueryStrategy
    /// How many runs were averaged.
    public var runs: Int
    /// Mean holdout accuracy for round 0, 1, … (over the runs that reached that round).
    public var holdoutAccuracy: [Double]
}

/// The book's feedback loop, with a random forest: see `FeedbackLoopOf`, which takes any `Classifier`.
public typealias FeedbackLoop = FeedbackLoopOf<RandomForestClassifier>

/// A model that predicts, gets some of its predictions labelled, and updates itself, round after round.
///
/// ```swift
/// let loop = FeedbackLoop(update: .retrainOnAll, query: .leastConfident(budget: 50), randomState: 7)
/// let run = try loop.run(initial: start, source: .pool(unlabelled, rounds: 5), holdout: holdout)
/// for round in run.rounds { print(round.round, round.holdoutAccuracy) }
/// ```
/// Each round: the model predicts the candidate rows; the query strategy picks rows to label; their
/// true labels arrive (wrong predictions are the corrections); the update strategy changes the model;
/// then the holdout (never used for feedback) measures it. A `labeller` makes labels noisy, late or
/// paid for within a budget, and `selectiveLabels` lets only the rows the model accepted be labelled;
/// the corrections are then the rows whose *given* label differs from the prediction, as the loop
/// cannot know the truth. Runs are deterministic given the model's
/// `randomState` and the loop's `randomState`.
///
/// Any `Classifier` works: `FeedbackLoop` is this loop with a `RandomForestClassifier`;
/// `FeedbackLoopOf(model: DecisionTreeClassifier(randomState: 0), update: .retrainOnAll, randomState: 1)`
/// runs a single tree, `DummyClassifier` gives the baseline. `.warmStart` needs a forest (other models
/// make `run` throw), and `FeedbackRound.treeCount` is 1 for a single tree and 0 for other non-forests.
public struct FeedbackLoopOf<Model: Classifier>: Sendable {
    /// The model's settings; every (re)fit starts from them. Its `randomState` seeds each fit.
    public var model: Model
    /// What to do with the labels.
    public var update: UpdateStrategy
    /// Which rows to label.
    public var query: QueryStrategy
    /// The seed for `QueryStrategy.random` and `.mixed`.
    public var randomState: Int
    /// Who labels the queried rows: how wrong, how late and at what cost (default: `.oracle`, perfect).
    public var labeller: Labeller
    /// When set, only rows the model accepted (plus an explored slice) can be labelled; see
    /// `SelectiveLabels`. Applied to the rows the query strategy picked, before paying for them.
    public var selectiveLabels: SelectiveLabels?

    public init(model: Model, update: UpdateStrategy, query: QueryStrategy = .all, labeller: Labeller = .oracle,
                selectiveLabels: SelectiveLabels? = nil, randomState: Int) {
        self.model = model
        self.update = update
        self.query = query
        self.labeller = labeller
        self.selectiveLabels = selectiveLabels
        self.randomState = randomState
    }

    /// Trains on `initial`, then runs the rounds of `source`, measuring on `holdout` after each.
    public func run(initial: Dataset, source: FeedbackSource, holdout: Dataset) throws -> FeedbackRunOf<Model> {
        try validate()
        guard !holdout.labels.isEmpty else {
            throw LearningError.emptyData("The holdout has no rows; the loop needs one to measure accuracy.")
        }
        var rng = try NumPyRandom(seed: randomState)
        var forest = model
        setWarmStart(&forest, false)
        try forest.fit(initial.features, initial.labels)
        if case .warmStart = update { setWarmStart(&forest, true) }
        var trainingSize = initial.count
        var trainingData = initial
        var rounds = [FeedbackRound(round: 0, queried: 0, labelledRows: 0, corrections: 0, accuracyBefore: nil,
                                    accuracyAfter: nil, correctedAccuracy: nil,
                                    holdoutAccuracy: try accuracyScore(holdout.labels, forest.predict(holdout.features)),
                                    trainingSize: trainingSize, treeCount: treeCount(forest))]

        // Rows labelled so far (in order) and corrections so far, with keys so a row counts once.
        var labelled: [(x: [Double], y: Int)] = []
        var corrected: [(x: [Double], y: Int)] = []
        // labelledKeys: rows asked about (a pool offers them no more); arrivedKeys: rows whose label came.
        var labelledKeys = Set<Int>(), arrivedKeys = Set<Int>(), correctedKeys = Set<Int>()

        let roundCount: Int
        switch source {
        case let .stream(batches): roundCount = batches.count
        case let .pool(_, n), let .repeated(_, n):
            guard n >= 0 else { throw LearningError.invalidParameter("rounds (\(n)) must not be negative.") }
            roundCount = n
        }
        // The classes a noisy labeller can give, ascending.
        var sourceLabels = Set(initial.labels)
        switch source {
        case let .stream(batches): for b in batches { sourceLabels.formUnion(b.labels) }
        case let .pool(rows, _), let .repeated(rows, _): sourceLabels.formUnion(rows.labels)
        }
        let knownClasses = sourceLabels.sorted()
        var labelRng = try NumPyRandom(seed: labeller.randomState)
        var exploreRng = try NumPyRandom(seed: selectiveLabels?.randomState ?? 0)
        // Labels asked for and not yet arrived: due round, key, row, given label, true label, prediction.
        var pending: [(due: Int, key: Int, x: [Double], given: Int, truth: Int, predicted: Int)] = []
        var spent = 0.0
        var budgetLeft = true

        var streamOffset = 0
        for round in stride(from: 1, through: roundCount, by: 1) {
            // The candidates of this round, each with a key unique over the run.
            var candidates: [(key: Int, x: [Double], y: Int)] = []
            switch source {
            case let .stream(batches):
                let batch = batches[round - 1]
                candidates = (0..<batch.count).map { (streamOffset + $0, batch.features[$0], batch.labels[$0]) }
                streamOffset += batch.count
            case let .pool(rows, _):
                candidates = (0..<rows.count).filter { !labelledKeys.contains($0) }.map { ($0, rows.features[$0], rows.labels[$0]) }
            case let .repeated(rows, _):
                candidates = (0..<rows.count).map { ($0, rows.features[$0], rows.labels[$0]) }
            }
            guard !candidates.isEmpty else { break }
            let candidateX = candidates.map(\.x), candidateY = candidates.map(\.y)
            let predictions = try forest.predict(candidateX)
            let accuracyBefore = try accuracyScore(candidateY, predictions)
            var picked = try pick(candidateX, forest: forest, rng: &rng)

            // Selective labels: only accepted rows (and the explored slice of the rest) can be labelled.
            if let selective = selectiveLabels {
                var observable = [Bool](repeating: false, count: candidates.count)
                for i in candidates.indices {
                    observable[i] = predictions[i] == selective.accepted
                        || exploreRng.randomSample() < selective.exploration
                }
                picked = picked.filter { observable[$0] }
            }
            // Pay for the labels in row order while the budget lasts; ask the labeller.
            var paid: [Int] = []
            for i in picked {
                if let budget = labeller.budget, !budgetLeft || spent + labeller.costPerLabel > budget * (1 + 1e-12) {
                    budgetLeft = false
                    break
                }
                spent += labeller.costPerLabel
                paid.append(i)
            }
            for i in paid {
                let row = candidates[i]
                labelledKeys.insert(row.key)
                let given = labeller.label(row.y, classes: knownClasses, rng: &labelRng)
                pending.append((round + labeller.delay, row.key, row.x, given, row.y, predictions[i]))
            }

            // The labels due this round arrive, in the order they were asked for.
            let arrived = pending.filter { $0.due == round }
            pending.removeAll { $0.due == round }
            var roundCorrections: [(x: [Double], y: Int)] = []
            for label in arrived {
                if arrivedKeys.insert(label.key).inserted { labelled.append((label.x, label.given)) }
                if label.predicted != label.given {
                    roundCorrections.append((label.x, label.given))
                    if correctedKeys.insert(label.key).inserted { corrected.append((label.x, label.given)) }
                }
            }

            let initialRows = zip(initial.features, initial.labels).map { (x: $0, y: $1) }
            var trainingRows: [(x: [Double], y: Int)]?
            switch update {
            case .refitOnCorrectionsOnly:
                trainingRows = roundCorrections.isEmpty ? nil : roundCorrections
            case .retrainOnAll:
                trainingRows = initialRows + labelled
            case .retrainOnInitialPlusCorrections:
                trainingRows = initialRows + corrected
            case let .warmStart(k):
                if var grown = forest as? RandomForestClassifier {
                    grown.nEstimators += k
                    if let next = grown as? Model { forest = next }
                }
                trainingRows = initialRows + labelled
            case let .recentWindow(n):
                trainingRows = Array((initialRows + labelled).suffix(n))
            }
            if let rows = trainingRows {
                try forest.fit(rows.map(\.x), rows.map(\.y))
                trainingSize = rows.count
                trainingData = Dataset(featureNames: initial.featureNames, features: rows.map(\.x), labels: rows.map(\.y))
            }

            let correctedAccuracy = roundCorrections.isEmpty ? nil
                : try accuracyScore(roundCorrections.map(\.y), forest.predict(roundCorrections.map(\.x)))
            rounds.append(FeedbackRound(
                round: round, queried: paid.count, labelledRows: labelled.count, corrections: roundCorrections.count,
                accuracyBefore: accuracyBefore, accuracyAfter: try accuracyScore(candidateY, forest.predict(candidateX)),
                correctedAccuracy: correctedAccuracy,
                holdoutAccuracy: try accuracyScore(holdout.labels, forest.predict(holdout.features)),
                trainingSize: trainingSize, treeCount: treeCount(forest), labelsArrived: arrived.count,
                wrongLabels: arrived.filter { $0.given != $0.truth }.count, labelCost: spent))
        }
        return FeedbackRunOf(update: update, query: query, seed: randomState, rounds: rounds, model: forest,
                           trainingData: trainingData)
    }

    /// Runs every combination of update strategy, query strategy and seed, in that nesting order.
    ///
    /// For each seed, `scenario(seed)` gives the data, and the model's and loop's `randomState` are set
    /// to the seed, so one call tabulates strategies × seeds reproducibly.
    /// A model without a `randomState` (none of the library's) is used as given. `labeller` and
    /// `selectiveLabels` are used by every run as given (their own seeds are not changed).
    public static func compare(updates: [UpdateStrategy], queries: [QueryStrategy] = [.all], seeds: [Int],
                               model: Model, labeller: Labeller = .oracle, selectiveLabels: SelectiveLabels? = nil,
                               scenario: (Int) throws -> (initial: Dataset, source: FeedbackSource, holdout: Dataset))
        throws -> [FeedbackRunOf<Model>] {
        var runs: [FeedbackRunOf<Model>] = []
        for seed in seeds {
            let data = try scenario(seed)
            for update in updates {
                for query in queries {
                    var seeded = model
                    if var withSeed = seeded as? any RandomlySeeded {
                        withSeed.randomState = seed
                        if let reseeded = withSeed as? Model { seeded = reseeded }
                    }
                    let loop = FeedbackLoopOf(model: seeded, update: update, query: query, labeller: labeller,
                                              selectiveLabels: selectiveLabels, randomState: seed)
                    runs.append(try loop.run(initial: data.initial, source: data.source, holdout: data.holdout))
                }
            }
        }
        return runs
    }

    /// The mean holdout accuracy per round for each (update, query) pair, in first-seen order.
    public static func average(_ runs: [FeedbackRunOf<Model>]) -> [FeedbackAverage] {
        var order: [FeedbackAverage] = []
        for run in runs {
            if let i = order.firstIndex(where: { $0.update == run.update && $0.query == run.query }) {
                order[i].runs += 1
            } else {
                order.append(FeedbackAverage(update: run.update, query: run.query, runs: 1, holdoutAccuracy: []))
            }
        }
        for i in order.indices {
            let group = runs.filter { $0.update == order[i].update && $0.query == order[i].query }
            let length = group.map(\.rounds.count).max() ?? 0
            order[i].holdoutAccuracy = (0..<length).map { r in
                let values = group.compactMap { r < $0.rounds.count ? $0.rounds[r].holdoutAccuracy : nil }
                return values.reduce(0, +) / Double(max(values.count, 1))
            }
        }
        return order
    }

    private func validate() throws {
        if case .warmStart = update, !(model is RandomForestClassifier) {
            throw LearningError.invalidParameter(
                "The warmStart update adds trees to a forest, so it needs a RandomForestClassifier; this loop's model is a \(Model.self).")
        }
        switch update {
        case let .warmStart(k) where k < 1:
            throw LearningError.invalidParameter("warmStart treesPerRound (\(k)) must be at least 1.")
        case let .recentWindow(n) where n < 1:
            throw LearningError.invalidParameter("recentWindow rows (\(n)) must be at least 1.")
        default: break
        }
        try query.validate()
        try labeller.validate()
        try selectiveLabels?.validate()
        switch query {
        case .committee where !(model is RandomForestClassifier):
            throw LearningError.invalidParameter(
                "Query by committee needs the trees of a RandomForestClassifier; this loop's model is a \(Model.self).")
        default: break
        }
    }

    /// The candidate indices to label this round, ascending.
    private func pick(_ x: [[Double]], forest: Model, rng: inout NumPyRandom) throws -> [Int] {
        switch query {
        case .all, .random:
            // No probabilities needed: only the row count matters.
            return try query.select([[Double]](repeating: [], count: x.count), using: &rng)
        case .committee:
            guard let trees = (forest as? RandomForestClassifier)?.estimators else { return [] }
            let votes = try trees.map { try $0.predict(x) }
            return try query.select([[Double]](repeating: [], count: x.count), votes: votes, using: &rng)
        default:
            return try query.select(try forest.predictProba(x), using: &rng)
        }
    }
}

extension FeedbackLoopOf where Model == RandomForestClassifier {
    /// The book's loop with `RandomForestClassifier(nEstimators: 100, randomState: 42)`.
    public init(update: UpdateStrategy, query: QueryStrategy = .all, labeller: Labeller = .oracle,
                selectiveLabels: SelectiveLabels? = nil, randomState: Int) {
        self.init(model: RandomForestClassifier(nEstimators: 100, randomState: 42), update: update, query: query,
                  labeller: labeller, selectiveLabels: selectiveLabels, randomState: randomState)
    }

    /// `compare` with `RandomForestClassifier(nEstimators: 100)`, its `randomState` set to each seed.
    public static func compare(updates: [UpdateStrategy], queries: [QueryStrategy] = [.all], seeds: [Int],
                               scenario: (Int) throws -> (initial: Dataset, source: FeedbackSource, holdout: Dataset))
        throws -> [FeedbackRun] {
        try compare(updates: updates, queries: queries, seeds: seeds,
                    model: RandomForestClassifier(nEstimators: 100, randomState: 0), scenario: scenario)
    }
}

/// Models whose `randomState` `FeedbackLoopOf.compare` sets to each seed.
protocol RandomlySeeded {
    var randomState: Int? { get set }
}

extension RandomForestClassifier: RandomlySeeded {}
extension DecisionTreeClassifier: RandomlySeeded {}
extension DummyClassifier: RandomlySeeded {}

/// Sets a forest's `warmStart`; other models have none.
private func setWarmStart<Model: Classifier>(_ model: inout Model, _ on: Bool) {
    if var forest = model as? RandomForestClassifier {
        forest.warmStart = on
        if let updated = forest as? Model { model = updated }
    }
}

/// A forest's tree count, 1 for a single tree, 0 for other models.
private func treeCount<Model: Classifier>(_ model: Model) -> Int {
    if let forest = model as? RandomForestClassifier { return forest.estimators.count }
    return model is DecisionTreeClassifier ? 1 : 0
}
