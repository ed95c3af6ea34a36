import Foundation

/// L2-regularised logistic regression with scikit-learn's interface and objective
/// (`LogisticRegression(C=C)` with the default `l1_ratio=0`, `fit_intercept=True`): binary targets fit
/// one weight vector, more classes a multinomial (softmax) model.
///
/// ```swift
/// var model = LogisticRegression(C: 1)
/// try model.fit(xTrain, yTrain)
/// let proba = try model.predictProba(xTest)
/// ```
/// It minimises scikit-learn's objective, Σ log-loss + ‖W‖² / (2C) (the intercept is not penalised),
/// by Newton's method with a backtracking line search until the step is below `tol`, so it reaches the
/// optimum more tightly than scikit-learn's L-BFGS: on standardised iris, wine and breast cancer,
/// coefficients are within 1e-5 and probabilities within 1e-6 of scikit-learn's fit with `tol=1e-12`,
/// while scikit-learn's default fit (`tol=1e-4`) stops up to 0.09 short of the optimum, so expect
/// differences of that size from it. For more than two classes the intercepts are
/// centred to sum to 0, the solution scikit-learn's L-BFGS also reaches from its zero start. Scale
/// features of different units first: the penalty treats every coefficient alike.
///
/// Shapes: `coef` is 1 × d for two classes and k × d for k > 2 classes (as `coef_`), `intercept` 1 or k
/// values (`intercept_`).
public struct LogisticRegression: Classifier, Equatable {
    /// Inverse regularisation strength (> 0): smaller means a stronger penalty.
    public var C: Double
    /// Newton's method stops when the largest change of a parameter is below this.
    public var tol: Double
    /// The most Newton iterations before `fit` gives up with a `UserWarning` (scikit-learn's
    /// `ConvergenceWarning`).
    public var maxIter: Int

    /// The class labels seen in training, ascending (empty before `fit`).
    public private(set) var classes: [Int] = []
    /// The coefficients: 1 × d (binary) or k × d.
    public private(set) var coef: [[Double]] = []
    /// The intercepts: 1 (binary) or k values.
    public private(set) var intercept: [Double] = []
    /// Newton iterations the last fit took.
    public private(set) var iterations = 0

    public init(C: Double = 1.0, tol: Double = 1e-10, maxIter: Int = 100) {
        self.C = C
        self.tol = tol
        self.maxIter = maxIter
    }

    /// Fits on rows `x` (n × d) with labels `y` (n, at least two classes). Throws `LearningError` for
    /// `C` or `tol` not positive, counts that differ, no rows, ragged or non-finite rows, or a single
    /// class ("This solver needs samples of at least 2 classes in the data", as scikit-learn says).
    public mutating func fit(_ x: [[Double]], _ y: [Int]) throws {
        guard C > 0, C.isFinite else { throw LearningError.invalidParameter("C (\(C)) must be a positive number.") }
        guard tol > 0 else { throw LearningError.invalidParameter("tol (\(tol)) must be positive.") }
        guard maxIter >= 1 else { throw LearningError.invalidParameter("maxIter (\(maxIter)) must be at least 1.") }
        guard x.count == y.count else { throw LearningError.labelCountMismatch(labels: y.count, samples: x.count) }
        guard !x.isEmpty else { throw LearningError.emptyData("LogisticRegression needs at least one training row; x and y are empty.") }
        let d = x[0].count
        try Self.checkRows(x, width: d)
        let labels = Array(Set(y)).sorted()
        guard labels.count >= 2 else {
            throw LearningError.invalidParameter(
                "This solver needs samples of at least 2 classes in the data, but the data contains only one class: \(labels[0]).")
        }
        var code: [Int: Int] = [:]
        for (i, label) in labels.enumerated() { code[label] = i }
        let target = y.map { code[$0]! }
        let k = labels.count == 2 ? 1 : labels.count
        // Parameters: for each output c, d weights then the intercept.
        let width = d + 1
        var theta = [Double](repeating: 0, count: k * width)
        let rows = x.map { $0 + [1.0] }
        let lambda = 1 / C

        func objective(_ t: [Double]) -> Double {
            var total = 0.0
            for (i, row) in rows.enumerated() {
                if k == 1 {
                    let z = dot(row, t, 0, width)
                    // log(1 + e^z) − y z, computed stably.
                    total += (z > 0 ? z + log1p(exp(-z)) : log1p(exp(z))) - (target[i] == 1 ? z : 0)
                } else {
                    let z = (0..<k).map { dot(row, t, $0 * width, width) }
                    let m = z.max()!
                    total += m + log(z.reduce(0) { $0 + exp($1 - m) }) - z[target[i]]
                }
            }
            var penalty = 0.0
            for c in 0..<k { for j in 0..<d { penalty += t[c * width + j] * t[c * width + j] } }
            return total + lambda * penalty / 2
        }

        var converged = false
        iterations = 0
        for _ in 0..<maxIter {
            iterations += 1
            let n = k * width
            var gradient = [Double](repeating: 0, count: n)
            var hessian = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
            for (i, row) in rows.enumerated() {
                let p: [Double]
                if k == 1 {
                    p = [expit(dot(row, theta, 0, width))]
                } else {
                    let z = (0..<k).map { dot(row, theta, $0 * width, width) }
                    let m = z.max()!
                    let e = z.map { exp($0 - m) }
                    let s = e.reduce(0, +)
                    p = e.map { $0 / s }
                }
                for c in 0..<k {
                    let residual = p[c] - ((k == 1 ? target[i] == 1 : target[i] == c) ? 1 : 0)
                    for j in 0..<width { gradient[c * width + j] += residual * row[j] }
                    for c2 in 0..<k {
                        let w = k == 1 ? p[0] * (1 - p[0]) : (c == c2 ? p[c] * (1 - p[c]) : -p[c] * p[c2])
                        if w == 0 { continue }
                        for j in 0..<width {
                            let wr = w * row[j]
                            for j2 in 0..<width { hessian[c * width + j][c2 * width + j2] += wr * row[j2] }
                        }
                    }
                }
            }
            for c in 0..<k {
                for j in 0..<d {
                    gradient[c * width + j] += lambda * theta[c * width + j]
                    hessian[c * width + j][c * width + j] += lambda
                }
                // The intercepts of a multinomial model are determined only up to a common shift.
                if k > 1 { hessian[c * width + d][c * width + d] += 1e-12 }
            }
            guard var step = solve(hessian, gradient) else { break }
            if k > 1 {
                let shift = (0..<k).reduce(0.0) { $0 + step[$1 * width + d] } / Double(k)
                for c in 0..<k { step[c * width + d] -= shift }
            }
            let current = objective(theta)
            var scale = 1.0
            var next = theta
            while true {
                next = zip(theta, step).map { $0 - scale * $1 }
                if objective(next) <= current || scale < 1e-10 { break }
                scale /= 2
            }
            let change = zip(theta, next).map { abs($0 - $1) }.max() ?? 0
            theta = next
            if change < tol { converged = true; break }
        }
        if !converged {
            warn(LearningWarning(.userWarning,
                "Newton's method did not converge in \(maxIter) iterations; increase maxIter or scale the data."))
        }
        classes = labels
        coef = (0..<k).map { c in Array(theta[(c * width)..<(c * width + d)]) }
        intercept = (0..<k).map { theta[$0 * width + d] }
    }

    /// The decision function: n rows × 1 (binary, the log-odds of `classes[1]`) or n × k scores
    /// (`decision_function`). Throws `LearningError.notFitted` before `fit` and for rows of another width.
    public func decisionFunction(_ x: [[Double]]) throws -> [[Double]] {
        guard !coef.isEmpty else {
            throw LearningError.notFitted("This LogisticRegression is not fitted yet; call fit(x, y) before predicting.")
        }
        try Self.checkRows(x, width: coef[0].count)
        return x.map { row in
            zip(coef, intercept).map { w, b in zip(row, w).reduce(0) { $0 + $1.0 * $1.1 } + b }
        }
    }

    /// Class probabilities, n rows × k classes: `[1 − σ(z), σ(z)]` for two classes, the softmax of the
    /// scores for more (`predict_proba`). Throws as `decisionFunction`.
    public func predictProba(_ x: [[Double]]) throws -> [[Double]] {
        try decisionFunction(x).map { z in
            if z.count == 1 {
                let p = expit(z[0])
                return [1 - p, p]
            }
            let m = z.max()!
            let e = z.map { exp($0 - m) }
            let s = e.reduce(0, +)
            return e.map { $0 / s }
        }
    }

    /// The predicted label of each row: `classes[1]` where the log-odds are positive (binary), else the
    /// class with the highest score (first among ties). Throws as `decisionFunction`.
    public func predict(_ x: [[Double]]) throws -> [Int] {
        try decisionFunction(x).map { z in
            if z.count == 1 { return classes[z[0] > 0 ? 1 : 0] }
            var best = 0
            for c in z.indices where z[c] > z[best] { best = c }
            return classes[best]
        }
    }

    private static func checkRows(_ x: [[Double]], width: Int) throws {
        for (i, row) in x.enumerated() {
            if i == 0, row.count != width { throw LearningError.featureCountMismatch(expected: width, got: row.count) }
            if row.count != width { throw LearningError.raggedRows(row: i, count: row.count, expected: width) }
            if let j = row.firstIndex(where: { !$0.isFinite }) {
                throw LearningError.nonFiniteValue(row: i, column: j, value: row[j])
            }
        }
    }
}

private func expit(_ z: Double) -> Double {
    z >= 0 ? 1 / (1 + exp(-z)) : exp(z) / (1 + exp(z))
}

private func dot(_ row: [Double], _ theta: [Double], _ offset: Int, _ width: Int) -> Double {
    var s = 0.0
    for j in 0..<width { s += row[j] * theta[offset + j] }
    return s
}

/// Solves A x = b by Gaussian elimination with partial pivoting; nil when A is singular.
private func solve(_ a: [[Double]], _ b: [Double]) -> [Double]? {
    var a = a, b = b
    let n = b.count
    for col in 0..<n {
        var pivot = col
        for r in (col + 1)..<max(n, col + 1) where abs(a[r][col]) > abs(a[pivot][col]) { pivot = r }
        guard a[pivot][col] != 0 else { return nil }
        if pivot != col { a.swapAt(pivot, col); b.swapAt(pivot, col) }
        for r in (col + 1)..<max(n, col + 1) {
            let f = a[r][col] / a[col][col]
            if f == 0 { continue }
            for c in col..<n { a[r][c] -= f * a[col][c] }
            b[r] -= f * b[col]
        }
    }
    var x = [Double](repeating: 0, count: n)
    for r in stride(from: n - 1, through: 0, by: -1) {
        var s = b[r]
        for c in (r + 1)..<max(n, r + 1) { s -= a[r][c] * x[c] }
        x[r] = s / a[r][r]
    }
    return x
}

extension LogisticRegression: Codable {
    enum CodingKeys: String, CodingKey { case C, tol, maxIter, classes, coef, intercept, iterations }

    /// Writes the format header (`ModelFormat`), the parameters and the fitted classes, coefficients and
    /// intercepts (scikit-learn's `coef_`, `intercept_`).
    public func encode(to encoder: any Encoder) throws {
        try ModelHeader.write("LogisticRegression", to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(C, forKey: .C)
        try c.encode(tol, forKey: .tol)
        try c.encode(maxIter, forKey: .maxIter)
        try c.encode(classes, forKey: .classes)
        try c.encode(coef, forKey: .coef)
        try c.encode(intercept, forKey: .intercept)
        try c.encode(iterations, forKey: .iterations)
    }

    /// Reads a model saved by `encode(to:)`. Throws `ModelFormatError` for another format version or
    /// model, or coefficients whose shape does not match the classes.
    public init(from decoder: any Decoder) throws {
        try ModelHeader.check("LogisticRegression", in: decoder)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        C = try c.decode(Double.self, forKey: .C)
        tol = try c.decode(Double.self, forKey: .tol)
        maxIter = try c.decode(Int.self, forKey: .maxIter)
        classes = try c.decode([Int].self, forKey: .classes)
        coef = try c.decode([[Double]].self, forKey: .coef)
        intercept = try c.decode([Double].self, forKey: .intercept)
        iterations = try c.decode(Int.self, forKey: .iterations)
        let rows = classes.count == 2 ? 1 : classes.count
        guard classes.isEmpty || (coef.count == rows && intercept.count == rows) else {
            throw ModelFormatError(
                "The saved LogisticRegression has \(coef.count) coefficient rows and \(intercept.count) intercepts for \(classes.count) classes; it needs \(rows) of each. The file is damaged; save the model again.")
        }
    }
}
