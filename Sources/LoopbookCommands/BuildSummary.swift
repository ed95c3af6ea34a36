import BookModel
import LoopbookBuild
import Notebook

/// The one-line summary printed after the progress lines of `build`, `serve` and `check`.
enum BuildSummary {
    /// "Built 11 chapters (10 cached, 1 ran) in 0.62 s; Site/: 1 written, 17 unchanged, 0 removed.", or
    /// "Build failed with 1 error (…); Site/ was left as it was.".
    static func line(for outcome: SiteBuilder.Outcome, layout: ProjectLayout, options: NotebookOptions,
                     publishing: Bool) -> String {
        let outcomes = outcome.report?.outcomes ?? []
        var cached = 0, ran = 0, failed = 0, skipped = 0
        for item in outcomes {
            switch item.status {
            case .cached: cached += 1
            case .ran: ran += 1
            case .failed: failed += 1
            case .skipped: skipped += 1
            }
        }
        let chapters = outcomes.count == 1 ? "1 chapter" : "\(outcomes.count) chapters"
        var counts = "\(cached) cached, \(ran) ran"
        if failed > 0 { counts += ", \(failed) failed" }
        if skipped > 0 { counts += ", \(skipped) skipped" }
        let time = BuildProgress.seconds(outcome.seconds)
        let site = layout.displayFolder(layout.output)
        if outcome.cancelled {
            return "Build cancelled after \(time); \(publishing ? "\(site) was left as it was" : "nothing was published")."
        }
        guard outcome.succeeded else {
            let problems = outcome.issues.count == 1 ? "1 error" : "\(outcome.issues.count) errors"
            if outcome.report == nil {
                // The book could not be loaded, or the output folder was refused: no chapter was considered.
                return "Build failed with \(problems) before any chapter ran (\(time)); \(publishing ? "\(site) was left as it was" : "nothing was published")."
            }
            return "Build failed with \(problems) (\(chapters): \(counts); \(time)); \(publishing ? "\(site) was left as it was" : "nothing was published")."
        }
        let exercises = exerciseCount(outcome).map { " Exercises: \($0.passed) of \($0.total) pass." } ?? ""
        if let published = outcome.published {
            return "Built \(chapters) (\(counts)) in \(time); \(site): \(published.written) written, \(published.unchanged) unchanged, \(published.removed) removed." + exercises
        }
        if options.chapters != nil {
            return "Ran \(chapters) (\(counts)) in \(time); \(site) is only written when every chapter is built." + exercises
        }
        return "Built \(chapters) (\(counts)) in \(time)." + exercises
    }

    /// How many of the built chapters' exercises pass; nil when they have none.
    static func exerciseCount(_ outcome: SiteBuilder.Outcome) -> (passed: Int, total: Int)? {
        let verdicts = (outcome.report?.chapters ?? []).flatMap(\.exerciseVerdicts)
        guard !verdicts.isEmpty else { return nil }
        return (verdicts.filter(\.verdict.passed).count, verdicts.count)
    }

    /// One line per exercise that does not pass yet, e.g.
    /// "✗ Content/03-data.md:40: exercise not passed yet: total should be 6 (it is 0)".
    static func exerciseLines(_ outcome: SiteBuilder.Outcome) -> [String] {
        (outcome.report?.chapters ?? []).flatMap { executed in
            executed.exerciseVerdicts.filter { !$0.verdict.passed }.map {
                "✗ \(executed.chapter.path):\($0.exercise.step.line): exercise not passed yet: \($0.verdict.message)"
            }
        }
    }
}
