/// The Python tutorial's `SimpleAI` class, kept faithful so the book can show what it does.
///
/// It wraps `RandomForestClassifier(nEstimators: 100, randomState: 42)`. Its `updateModel` is the
/// tutorial's "feedback loop": it refits the forest on **only** the new rows, so everything learned from
/// the earlier training data is thrown away. After `updateModel` on k rows the forest has been trained
/// on exactly those k rows (`model.trainingSampleCount == k`). `FeedbackLoop` offers better strategies.
public final class SimpleAI {
    /// The forest, as the tutorial's `self.model`.
    public var model: RandomForestClassifier
    /// Whether `train` has been called (the tutorial's `self.is_trained`).
    public private(set) var isTrained: Bool

    /// A fresh, untrained model: 100 trees, master seed 42.
    public init(model: RandomForestClassifier = RandomForestClassifier(nEstimators: 100, randomState: 42)) {
        self.model = model
        self.isTrained = false
    }

    /// Fits the forest on `x` and `y`.
    public func train(_ x: [[Double]], _ y: [Int]) throws {
        try model.fit(x, y)
        isTrained = true
    }

    /// Predicts labels; throws before `train`, as the tutorial's `ValueError`.
    public func predict(_ x: [[Double]]) throws -> [Int] {
        guard isTrained else {
            throw LearningError.notFitted("Model must be trained before making predictions; call train(x, y) first.")
        }
        return try model.predict(x)
    }

    /// The accuracy of the model's predictions on `x` against `y`.
    public func getAccuracy(_ x: [[Double]], _ y: [Int]) throws -> Double {
        try accuracyScore(y, predict(x))
    }

    /// The tutorial's update: refits the forest on only `newX` and `newY`, discarding what it had learned.
    ///
    /// Kept as the original behaves so the book can show the damage; it does not print, unlike the
    /// original ("Model updated with new feedback data"). Marks the model trained.
    public func updateModel(_ newX: [[Double]], _ newY: [Int]) throws {
        try model.fit(newX, newY)
        isTrained = true
    }
}
