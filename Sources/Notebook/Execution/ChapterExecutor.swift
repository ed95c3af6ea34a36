import BookModel
import Foundation

/// What running one chapter produced.
struct ChapterRun: Sendable {
    var result: ChapterResult
    /// Unexpected failures (a step that failed, or an `expect-error` step that did not).
    var diagnostics: [Diagnostic]
    var compileSeconds: Double
    var runSeconds: Double
    /// False when the result must not be cached (a failure, or a timeout that may not repeat).
    var failed: Bool { !diagnostics.isEmpty }
}

/// Compiles and runs one chapter, and turns what its programs did into step results.
///
/// Its job is the order of things: compile every program of the `ExecutionPlan` in parallel (`Compiler`),
/// wait for the chapters this one depends on, run the main program and then each `expect-error` variant
/// (`ProgramRunner`), and attach outputs and failures to their steps. Compiler errors go to the step whose
/// lines they name (`StepLines`); an `expect-error` step that does not fail is itself a failure.
struct ChapterExecutor: Sendable {
    let chapter: Chapter
    /// Compiles the plan's programs.
    var compiler: Compiler
    /// Runs the compiled programs; it gets the dependencies' files once those chapters have run.
    var runner: ProgramRunner

    /// `moduleCacheDirectory` nil: the toolchain's module cache under `cacheDirectory`.
    init(chapter: Chapter, toolchain: Toolchain, library: RuntimeLibrary, cacheDirectory: URL, dataDirectory: URL?,
         dependencyFiles: [Artifact], outputCap: Int, sharedCode: [SourceFile] = [], moduleCacheDirectory: URL?,
         slots: JobSlots) {
        self.chapter = chapter
        let moduleCache = moduleCacheDirectory
            ?? BuildDriver.moduleCacheDirectory(in: cacheDirectory, toolchainVersion: toolchain.version)
        compiler = Compiler(chapter: chapter, toolchain: toolchain, library: library, moduleCache: moduleCache, slots: slots,
                            sharedCode: sharedCode)
        runner = ProgramRunner(chapter: chapter, cacheDirectory: cacheDirectory, dataDirectory: dataDirectory,
                               dependencyFiles: dependencyFiles, outputCap: outputCap, slots: slots,
                               symbolizer: toolchain.symbolizer)
    }

    /// Compiles, then waits for `dependencies` (the files the chapters this one depends on wrote; nil
    /// when one of them failed, and then this returns nil too), then runs.
    ///
    /// Compiling does not need the dependencies' files, so it overlaps with their runs.
    func execute(dependencies: @Sendable () async -> [Artifact]?) async -> ChapterRun? {
        guard let plan = ExecutionPlan(chapter: chapter) else {
            return ChapterRun(result: ChapterResult(steps: chapter.steps.map { StepResult(index: $0.index) }),
                              diagnostics: [], compileSeconds: 0, runSeconds: 0)
        }
        let scratch = Scratch.directory("build", in: runner.cacheDirectory, for: chapter)
        defer { try? FileManager.default.removeItem(at: scratch) }

        // Compile the main program and every variant, in parallel.
        let compileStart = DispatchTime.now().uptimeNanoseconds
        var compiled: [String: Compiler.Outcome] = [:]
        await withTaskGroup(of: (String, Compiler.Outcome).self) { group in
            for program in plan.programs {
                group.addTask {
                    let directory = scratch.appendingPathComponent(program.name)
                    return (program.name, await compiler.compile(program.source, in: directory))
                }
            }
            for await (name, outcome) in group { compiled[name] = outcome }
        }
        let compileSeconds = Scratch.seconds(since: compileStart)
        guard let files = await dependencies() else { return nil }
        var executor = self
        executor.runner.dependencyFiles = files
        return await executor.finish(plan, compiled: compiled, compileSeconds: compileSeconds)
    }

    private func finish(_ plan: ExecutionPlan, compiled: [String: Compiler.Outcome], compileSeconds: Double) async -> ChapterRun {
        var results = chapter.steps.map { StepResult(index: $0.index) }
        var diagnostics: [Diagnostic] = []
        var runSeconds = 0.0

        switch compiled[plan.main.name] {
        case let .errors(errors)?:
            for error in errors { record(error, in: &results, diagnostics: &diagnostics) }
            return ChapterRun(result: ChapterResult(steps: results), diagnostics: diagnostics,
                              compileSeconds: compileSeconds, runSeconds: 0)
        case let .binary(binary)?:
            let execution = await runner.run(binary, steps: plan.main.steps, collectArtifacts: true)
            runSeconds += execution.seconds
            for (index, outputs) in execution.outputs { results[index - 1].outputs = outputs }
            var artifacts = execution.artifacts
            if let (step, failure, output) = execution.failure {
                results[step - 1].failure = failure
                diagnostics.append(Diagnostic(file: failure.file, line: failure.line, column: failure.column,
                                              message: "step \(step) failed: \(failure.message)", output: output))
            }
            for variant in plan.variants {
                let outcome = await checkExpectedError(variant, compiled: compiled[variant.program.name], results: &results,
                                                       diagnostics: &diagnostics)
                runSeconds += outcome
            }
            artifacts.sort { $0.name < $1.name }
            var values: [String: String] = [:]
            for step in results {
                for case let .record(.value(key, text)) in step.outputs { values[key] = text }
            }
            return ChapterRun(result: ChapterResult(steps: results, values: values, artifacts: artifacts),
                              diagnostics: diagnostics, compileSeconds: compileSeconds, runSeconds: runSeconds)
        case nil:
            return ChapterRun(result: ChapterResult(steps: results), diagnostics: diagnostics,
                              compileSeconds: compileSeconds, runSeconds: 0)
        }
    }

    /// Records the variant's outcome for its `expect-error` step; returns the seconds spent running.
    private func checkExpectedError(_ variant: ExecutionPlan.Variant, compiled: Compiler.Outcome?,
                                    results: inout [StepResult], diagnostics: inout [Diagnostic]) async -> Double {
        let step = variant.step
        let line = StepLines(step).firstCodeLine
        switch compiled {
        case let .errors(errors)?:
            if let own = errors.first(where: { StepLines.step(containing: $0.line, in: chapter)?.index == step.index
                && $0.file == chapter.path }) {
                results[step.index - 1].failure = StepFailure(file: own.file, line: own.line, column: own.column, message: own.message)
            } else {
                for error in errors { record(error, in: &results, diagnostics: &diagnostics) }
            }
            return 0
        case let .binary(binary)?:
            let execution = await runner.run(binary, steps: variant.program.steps, collectArtifacts: false)
            results[step.index - 1].outputs = execution.outputs[step.index] ?? []
            if let (failedStep, failure, output) = execution.failure {
                if failedStep == step.index, execution.timedOut {
                    // A step that hangs has not shown the error it is meant to show.
                    let message = "step \(step.index) is marked expect-error but did not finish within \(FailureAnalysis.format(chapter.timeout)) seconds; a timeout is not the expected error: make the step fail (a compile error or a trap) sooner, or remove the flag."
                    results[step.index - 1].failure = StepFailure(file: chapter.path, line: failure.line, message: message)
                    diagnostics.append(Diagnostic(file: chapter.path, line: failure.line, message: message, output: output))
                } else if failedStep == step.index {
                    results[step.index - 1].failure = failure
                } else {
                    diagnostics.append(Diagnostic(file: failure.file, line: failure.line, column: failure.column,
                                                  message: "step \(failedStep) failed: \(failure.message)", output: output))
                }
            } else {
                let message = "step \(step.index) is marked expect-error but ran without an error; fix the step or remove the flag."
                results[step.index - 1].failure = StepFailure(file: chapter.path, line: line, message: message)
                diagnostics.append(Diagnostic(file: chapter.path, line: line, message: message))
            }
            return execution.seconds
        case nil:
            return 0
        }
    }

    /// Attaches a compiler error to the step it points into (or the first runnable step).
    private func record(_ error: Diagnostic, in results: inout [StepResult], diagnostics: inout [Diagnostic]) {
        diagnostics.append(error)
        let step = (error.file == chapter.path ? StepLines.step(containing: error.line, in: chapter) : nil)
            ?? chapter.steps.first { !$0.flags.norun }
        if let step, results[step.index - 1].failure == nil {
            results[step.index - 1].failure = StepFailure(file: error.file, line: error.line, column: error.column, message: error.message)
        }
    }
}
