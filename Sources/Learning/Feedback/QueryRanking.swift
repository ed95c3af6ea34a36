import Foundation

/// Uncertainty scores behind the feedback loop's query strategies: one score per row of class
/// probabilities (n rows × k classes), higher meaning "ask a person about this row first".
public enum Uncertainty {
    /// Least confident: `1 − max p` (modAL's `classifier_uncertainty`).
    public static func leastConfident(_ proba: [[Double]]) -> [Double] {
        proba.map { 1 - ($0.max() ?? 0) }
    }

    /// Margin: minus the gap between the two largest probabilities, so a near tie scores highest
    /// (modAL's `classifier_margin`, negated). A single class has gap `p`, as if the second were 0.
    public static func margin(_ proba: [[Double]]) -> [Double] {
        proba.map { row in
            var first = -Double.infinity, second = 0.0
            for p in row {
                if p > first { second = max(first, second); first = p } else if p > second { second = p }
            }
            return -(first - second)
        }
    }

    /// Entropy of the probabilities in nats, `−Σ p ln p` with `0 ln 0 = 0` (modAL's
    /// `classifier_entropy`, scipy's `entropy`).
    public static func entropy(_ proba: [[Double]]) -> [Double] {
        proba.map { row in -row.reduce(0) { $0 + ($1 > 0 ? $1 * log($1) : 0) } }
    }

    /// Vote entropy of a committee (modAL's `vote_entropy`): each member's predicted label is a vote;
    /// the score is the entropy in nats of the vote shares. `votes` is members × n rows of labels.
    public static func voteEntropy(_ votes: [[Int]]) -> [Double] {
        guard let rows = votes.first?.count else { return [] }
        let members = Double(votes.count)
        return (0..<rows).map { i in
            var counts: [Int: Int] = [:]
            for member in votes { counts[member[i], default: 0] += 1 }
            return -counts.keys.sorted().reduce(0.0) { total, label in
                let share = Double(counts[label]!) / members
                return total + share * log(share)
            }
        }
    }

    /// Stream-based selective sampling (modAL's stream-based sampling): the rows, taken in order as a
    /// stream, whose least-confident uncertainty `1 − max p` is at least `threshold`, stopping once
    /// `budget` rows have been taken. Returns row indices, ascending; fewer than `budget` when few rows
    /// pass.
    public static func selectiveSampling(_ proba: [[Double]], threshold: Double, budget: Int) -> [Int] {
        var taken: [Int] = []
        for (i, score) in leastConfident(proba).enumerated() where taken.count < budget && score >= threshold {
            taken.append(i)
        }
        return taken
    }

    /// The `budget` rows with the highest scores, in row order (ties: earlier rows first).
    public static func top(_ scores: [Double], budget: Int) -> [Int] {
        let ranked = scores.indices.sorted { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1 }
        return ranked.prefix(max(budget, 0)).sorted()
    }
}
