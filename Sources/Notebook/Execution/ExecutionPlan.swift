import BookModel

/// Which programs a chapter is compiled into, and which steps each one runs.
///
/// The main program runs every runnable step except `expect-error` ones; each `expect-error` step gets a
/// variant made of the runnable steps before it (except other `expect-error` ones) plus that step.
///
/// Why variants: a step expected not to compile cannot be part of the program the other steps run in,
/// and a step expected to trap ends its program; so the main program leaves them out (later steps can't
/// depend on a step that fails anyway), and each variant shows that its step really fails — at compile
/// time or at run time — in a working directory of its own, so it adds no artifacts.
struct ExecutionPlan: Sendable {
    /// One program to compile and run.
    struct Program: Sendable {
        /// "main", or "step<N>" for the variant of `expect-error` step N; also its scratch directory's name.
        var name: String
        /// The steps it runs, in chapter order (never `norun` ones).
        var steps: [Step]
        /// Its Swift source, from `ProgramGenerator`.
        var source: String
    }

    /// The program of an `expect-error` step, which must fail.
    struct Variant: Sendable {
        var step: Step
        var program: Program
    }

    var main: Program
    var variants: [Variant]

    /// Every program to compile: the main one first, then the variants in step order.
    var programs: [Program] { [main] + variants.map(\.program) }

    /// The plan for `chapter`; nil when no step runs (every step is `norun`, or there are none).
    init?(chapter: Chapter) {
        let runnable = chapter.steps.filter { !$0.flags.norun }
        if runnable.isEmpty { return nil }
        main = Self.program(named: "main", of: chapter) { !$0.flags.expectError }
        variants = runnable.filter(\.flags.expectError).map { step in
            Variant(step: step, program: Self.program(named: "step\(step.index)", of: chapter) {
                $0.index == step.index || ($0.index < step.index && !$0.flags.expectError)
            })
        }
    }

    private static func program(named name: String, of chapter: Chapter, including included: (Step) -> Bool) -> Program {
        Program(name: name, steps: chapter.steps.filter { !$0.flags.norun && included($0) },
                source: ProgramGenerator.program(for: chapter, including: included))
    }
}
