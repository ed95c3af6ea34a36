/// What `prequentialEvaluation` measured: for each batch of the stream, the accuracy of the model
/// trained on everything before it.
public struct PrequentialResult<Model: Classifier>: Sendable {
    /// Accuracy on each batch before training on it, in stream order.
    public var batchAccuracy: [Double]
    /// Correct predictions over all batches so far divided by rows so far, after each batch.
    public var cumulativeAccuracy: [Double]
    /// The rows each batch's model was trained on.
    public var trainingSizes: [Int]
    /// The model after the last batch was added.
    public var model: Model
}

/// Prequential (test-then-train) evaluation of a batch classifier on a stream (Gama et al., 2013):
/// each batch is first predicted by a model trained on the initial rows and every earlier batch (or
/// only the most recent `window` rows of them), and only then added to the training data. Every row
/// is thus a test row before it is a training row, the honest way to measure a model that learns from
/// its stream.
///
/// `initial` seeds the first model; `stream` holds the batches in arrival order. A fresh copy of
/// `model` (same settings and `randomState`) is refitted before each batch, as with
/// `UpdateStrategy.retrainOnAll` (or `.recentWindow(rows:)` with `window`). Throws `LearningError` for
/// an empty `initial` or stream batch, a `window` below 1, and whatever `fit` or `predict` throws.
public func prequentialEvaluation<Model: Classifier>(_ model: Model, initial: Dataset, stream: [Dataset],
                                                     window: Int? = nil) throws -> PrequentialResult<Model> {
    guard initial.count > 0 else { throw LearningError.emptyData("The initial data has no rows; the first model needs some.") }
    if let window, window < 1 { throw LearningError.invalidParameter("window (\(window)) must be at least 1.") }
    var x = initial.features, y = initial.labels
    var result = PrequentialResult(batchAccuracy: [], cumulativeAccuracy: [], trainingSizes: [], model: model)
    var correct = 0, seen = 0
    for (b, batch) in stream.enumerated() {
        guard batch.count > 0 else { throw LearningError.emptyData("Batch \(b) of the stream has no rows.") }
        var fitted = model
        let start = window.map { max(0, x.count - $0) } ?? 0
        try fitted.fit(Array(x[start...]), Array(y[start...]))
        let predictions = try fitted.predict(batch.features)
        let right = zip(predictions, batch.labels).filter { $0 == $1 }.count
        correct += right
        seen += batch.count
        result.batchAccuracy.append(Double(right) / Double(batch.count))
        result.cumulativeAccuracy.append(Double(correct) / Double(seen))
        result.trainingSizes.append(x.count - start)
        result.model = fitted
        x += batch.features
        y += batch.labels
    }
    if !stream.isEmpty {
        var last = model
        let start = window.map { max(0, x.count - $0) } ?? 0
        try last.fit(Array(x[start...]), Array(y[start...]))
        result.model = last
    }
    return result
}
