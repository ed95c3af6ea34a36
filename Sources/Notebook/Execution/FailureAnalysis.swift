import BookModel
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Works out from how a chapter program ended whether, where and how it failed.
///
/// Its job: split the outputs per step, find the step that was running, and read its line and message
/// from a trap's message ("Fatal error: …"), else from the innermost chapter frame of the crash backtrace,
/// else the step's first code line; timeouts, signals and exit statuses get a message of their own. The
/// trap message and the (address-dependent) backtrace are taken out of the step's shown output.
enum FailureAnalysis {
    /// Splits outputs per step and works out whether, where and how the program failed.
    ///
    /// A program that ended normally failed too when a step never started: its start marker was swallowed
    /// (a string literal or comment left open across steps) or the program ended early.
    ///
    /// `throwSiteLine` turns the program address of the last `try` in top-level code that threw into a
    /// chapter line, for an error nothing caught.
    static func analyze(_ termination: ProcessRunner.Termination, output: OutputCollector,
                        chapter: Chapter, steps: [Step], throwSiteLine: (Int) -> Int? = { _ in nil }) -> ProgramRunner.Execution {
        let firstStep = steps.first?.index ?? 1
        var outputs: [Int: [StepOutput]] = [:]
        for step in steps {
            outputs[step.index] = output.outputs(for: step.index, firstStep: firstStep)
        }
        if termination == .exited(0), output.ended {
            guard let missing = Self.missingStep(output.startedSteps, steps: steps, chapter: chapter) else {
                return ProgramRunner.Execution(outputs: outputs, failure: nil, artifacts: [], seconds: 0)
            }
            return ProgramRunner.Execution(outputs: outputs, failure: (missing.step, missing.failure, ""), artifacts: [], seconds: 0)
        }
        let current = output.currentStep
        let step = steps.first { $0.index == current } ?? steps.first ?? chapter.steps[0]
        var line = StepLines(step).firstCodeLine
        var items = outputs[step.index] ?? []
        var fatal: String?
        var trapInShared: String?
        // A crash prints a backtrace (see `ProgramRunner.environment`) whose frames name chapter lines: the
        // innermost one locates traps inside the standard library (an index out of range, a force-unwrapped
        // nil), whose message names no chapter line. The backtrace itself is addresses: it is not kept.
        let crash = Self.removeBacktrace(from: &items, chapterPath: chapter.path)
        let crashLine = crash?.line
        outputs[step.index] = items
        var locatedByMessage = false
        // A trap prints "<module>/<file>:<line>: Fatal error: <message>" (or "Precondition failed",
        // "Assertion failed") and a stack trace: keep the message in the failure and drop the
        // (address-dependent) rest from the page.
        let trapKinds = ["Fatal error", "Precondition failed", "Assertion failed"]
        func trapRange(in line: Substring) -> Range<Substring.Index>? {
            for kind in trapKinds {
                if let range = line.range(of: ": \(kind)"),
                   line[range.upperBound...].isEmpty || line[range.upperBound...].hasPrefix(": ") {
                    return range
                }
            }
            return nil
        }
        if let position = items.firstIndex(where: { output in
            guard case let .stderr(text) = output else { return false }
            return text.split(separator: "\n").contains { trapRange(in: $0) != nil }
        }), case let .stderr(text) = items[position] {
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            if let fatalLine = lines.firstIndex(where: { trapRange(in: $0) != nil }), let range = trapRange(in: lines[fatalLine]) {
                let raw = lines[fatalLine]
                fatal = String(raw[raw.index(range.lowerBound, offsetBy: 2)...])
                // An error thrown out of top-level code: its own sentence is the message.
                let uncaught = "Fatal error: Error raised at top level: "
                if let message = fatal, message.hasPrefix(uncaught) {
                    fatal = String(message.dropFirst(uncaught.count))
                    if let site = output.lastThrowSite, let number = throwSiteLine(site), StepLines(step).contains(number) {
                        line = number
                        locatedByMessage = true
                    }
                }
                let location = raw[..<range.lowerBound].split(separator: ":")
                if location.count >= 2, location[0].hasPrefix(Self.sharedFolder(of: chapter.path)), Int(location[1]) != nil {
                    trapInShared = "\(location[0]):\(location[1])"
                }
                let fileName = (chapter.path as NSString).lastPathComponent
                if location.count >= 2, location[0].hasSuffix("/" + fileName) || location[0] == Substring(fileName),
                   let number = Int(location[1]) {
                    line = number
                    locatedByMessage = true
                }
                let before = lines[..<fatalLine].joined(separator: "\n")
                items.removeSubrange(position...)
                if !before.isEmpty { items.append(.stderr(before + "\n")) }
                outputs[step.index] = items
            }
        }
        if !locatedByMessage, let crashLine { line = crashLine }
        var message: String
        switch termination {
        case let .timedOut(seconds):
            message = "the chapter program did not finish within \(Self.format(seconds)) seconds and was stopped while step \(step.index) was running; raise 'timeout' in the front matter if it needs longer."
        case let .signaled(signal):
            message = fatal ?? crash?.reason.map { reason in
                reason.hasPrefix("Swift runtime failure: ") ? reason
                    : "the chapter program crashed: \(reason) (\(Self.signalName(signal)))."
            } ?? "the chapter program crashed with signal \(signal) (\(Self.signalName(signal)))."
        case let .exited(status) where status != 0:
            message = fatal ?? "the step exited with status \(status)."
        case .exited:
            message = "the step ended the program (exit status 0) before the remaining steps ran."
        }
        if let place = trapInShared ?? crash?.shared {
            // The step called into the book's shared code, and the trap happened there.
            message += " (It happened in \(place), called from this step.)"
        }
        let text = (outputs[step.index] ?? []).compactMap { output -> String? in
            switch output {
            case let .stdout(text), let .stderr(text): text
            default: nil
            }
        }.joined()
        let excerpt = text.allSatisfy(\.isWhitespace) ? ""
            : text.split(separator: "\n", omittingEmptySubsequences: false).suffix(20).joined(separator: "\n")
        return ProgramRunner.Execution(outputs: outputs, failure: (step.index, StepFailure(file: chapter.path, line: line, message: message), excerpt),
                         artifacts: [], seconds: 0)
    }

    /// Removes the Swift runtime's crash backtrace (from its `*** Signal N: Backtracing` line on) from a
    /// step's stderr and returns the line of its innermost frame in the chapter file, if any, and the
    /// reason the backtrace gives.
    ///
    /// Frames read like `3 [ra] 0x000055c6f1971fe0 main + 255 in chapter at Content/02-more.md:14:14`. The
    /// reason is `Swift runtime failure: arithmetic overflow` (from `*** Swift runtime failure: … ***`, for
    /// checks the compiler inlined into chapter code), else what `*** Program crashed: … ***` says (a bad
    /// pointer dereference, …), except a bare "Illegal instruction": a failed runtime check Swift gave no
    /// reason for, explained by `unexplainedTrap`.
    static func removeBacktrace(from items: inout [StepOutput], chapterPath: String) -> (line: Int?, reason: String?, shared: String?)? {
        func start(in text: String) -> String.Index? {
            for marker in ["*** Signal ", "*** Program crashed"] {
                if text.hasPrefix(marker) { return text.startIndex }
                if let range = text.range(of: "\n" + marker) { return text.index(after: range.lowerBound) }
            }
            return nil
        }
        guard let position = items.firstIndex(where: { if case let .stderr(text) = $0 { start(in: text) != nil } else { false } }),
              case let .stderr(text) = items[position], let cut = start(in: text) else { return nil }
        var backtrace = String(text[cut...])
        for case let .stderr(more) in items[(position + 1)...] { backtrace += more }
        var kept = String(text[..<cut])
        while kept.hasSuffix("\n\n") { kept.removeLast() }
        items = Array(items[..<position]) + (kept.isEmpty ? [] : [.stderr(kept)])
            + items[(position + 1)...].filter { if case .stderr = $0 { false } else { true } }
        var reason: String?
        for line in backtrace.split(separator: "\n") where line.hasPrefix("*** ") && line.hasSuffix(" ***") {
            let text = line.dropFirst(4).dropLast(4)
            if text.hasPrefix("Swift runtime failure: ") {
                reason = String(text)
            } else if text.hasPrefix("Program crashed: ") {
                var what = text.dropFirst("Program crashed: ".count)
                if let at = what.range(of: " at 0x", options: .backwards) { what = what[..<at.lowerBound] }
                reason = what == "Illegal instruction" ? Self.unexplainedTrap : String(what)
            }
        }
        let marker = " at \(chapterPath):"
        // The innermost frame in the book's shared code (`Content/shared/…`), when the trap happened there.
        let sharedMarker = " at " + Self.sharedFolder(of: chapterPath)
        var shared: String?
        for frame in backtrace.split(separator: "\n") {
            if shared == nil, let range = frame.range(of: sharedMarker) {
                let place = frame[frame.index(range.lowerBound, offsetBy: 4)...].prefix { !$0.isWhitespace }
                let parts = place.split(separator: ":")
                shared = parts.count >= 2 ? "\(parts[0]):\(parts[1])" : String(place)
            }
            guard let range = frame.range(of: marker) else { continue }
            let digits = frame[range.upperBound...].prefix { $0.isASCII && $0.isNumber }
            if let number = Int(digits) { return (number, reason, shared) }
        }
        return (nil, reason, shared)
    }

    /// `Content/shared/` for a chapter at `Content/03-data.md`: where the book's shared code is.
    static func sharedFolder(of chapterPath: String) -> String {
        let folder = (chapterPath as NSString).deletingLastPathComponent
        return (folder.isEmpty ? "" : folder + "/") + "shared/"
    }

    /// The message for a Swift runtime trap that came with no reason.
    ///
    /// Swift names the failed check of an operator only where the operator is written out; `+` passed as a
    /// function (as in `reduce(0, +)`) traps with no debug information, so no reason is printed.
    static let unexplainedTrap = "Swift runtime failure: a runtime check failed without saying which; when an operator is passed as a function (as in `reduce(0, +)`), this is an arithmetic overflow."

    /// The first step of `steps` that never started in a program that ended normally, and the failure to
    /// report at it; nil when every step started, once and in order.
    static func missingStep(_ started: [Int], steps: [Step], chapter: Chapter) -> (step: Int, failure: StepFailure)? {
        let expected = steps.map(\.index)
        guard started != expected else { return nil }
        let position = Array(zip(started, expected)).firstIndex { $0 != $1 } ?? min(started.count, expected.count)
        guard position < expected.count else {
            let last = steps[steps.count - 1]
            return (last.index, StepFailure(file: chapter.path, line: StepLines(last).firstCodeLine,
                                            message: "the chapter program announced steps that do not exist (\(started.map(String.init).joined(separator: ", "))); chapter code must not call `_loopbookBeginStep`."))
        }
        let step = steps[position]
        let line = StepLines(step).firstCodeLine
        guard position > 0 else {
            return (step.index, StepFailure(file: chapter.path, line: line,
                                            message: "it never started; chapter code must not call `_loopbookBeginStep` or `_loopbookEnd`."))
        }
        let before = steps[position - 1]
        let message = "it never started as a step of its own, although the program ended normally: either step \(before.index) (line \(StepLines(before).firstCodeLine)) leaves a string literal or a block comment open that step \(step.index) closes, so both ran as one step (close it within step \(before.index); each step must be complete on its own), or step \(before.index) ended the program early (`_loopbookEnd()` is not for chapter code)."
        return (step.index, StepFailure(file: chapter.path, line: line, message: message))
    }

    /// Whole seconds without a fraction ("60"), others as they are ("0.5").
    static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }

    /// The signal's name, and what it usually means for a Swift program.
    static func signalName(_ signal: Int32) -> String {
        switch signal {
        case SIGILL: "SIGILL, a Swift runtime trap"
        case SIGTRAP: "SIGTRAP, a Swift runtime trap"
        case SIGABRT: "SIGABRT"
        case SIGSEGV: "SIGSEGV, a bad memory access"
        case SIGBUS: "SIGBUS"
        case SIGFPE: "SIGFPE, an arithmetic error"
        case SIGKILL: "SIGKILL"
        case SIGTERM: "SIGTERM"
        default: "signal \(signal)"
        }
    }
}
