/// A classifier with scikit-learn's estimator interface: set parameters, `fit`, then `predict` or
/// `predictProba`.
///
/// Conforming: `DecisionTreeClassifier`, `RandomForestClassifier`, `DummyClassifier`,
/// `KNeighborsClassifier`, `LogisticRegression`. Cross-validation
/// (`crossValScore`, `crossValidate`, `validationCurve`, `learningCurve`) and the feedback loop
/// (`FeedbackLoopOf`) accept any classifier. Models are values: a copy of an unfitted model is
/// scikit-learn's `clone`, so cross-validation fits a fresh copy for every fold.
///
/// Shapes: `x` is n rows × d features (every row the same length), `y` is n labels.
public protocol Classifier: Sendable {
    /// Fits the model on rows `x` (n × d) with labels `y` (n), replacing any earlier fit (scikit-learn's
    /// `fit(X, y)`). Throws `LearningError` for empty or inconsistent data and invalid parameters.
    mutating func fit(_ x: [[Double]], _ y: [Int]) throws
    /// The predicted label of each row: n labels for n rows (`predict(X)`). Throws
    /// `LearningError.notFitted` before `fit`.
    func predict(_ x: [[Double]]) throws -> [Int]
    /// Class probabilities: n rows × k columns, column j for `classes[j]`, each row summing to 1
    /// (`predict_proba(X)`). Throws `LearningError.notFitted` before `fit`.
    func predictProba(_ x: [[Double]]) throws -> [[Double]]
    /// The class labels seen by the last `fit`, ascending (`classes_`); empty before `fit`.
    var classes: [Int] { get }
}

extension Classifier {
    /// The mean accuracy on rows `x` with true labels `y`, scikit-learn's `ClassifierMixin.score`
    /// (`accuracy_score(y, predict(X))`). Throws as `predict` and `accuracyScore`.
    public func score(_ x: [[Double]], _ y: [Int]) throws -> Double {
        try accuracyScore(y, predict(x))
    }
}

extension DecisionTreeClassifier: Classifier {}
extension RandomForestClassifier: Classifier {}
