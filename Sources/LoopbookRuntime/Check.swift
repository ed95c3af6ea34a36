/// Records whether an exercise's result is right, with the message the page shows beside the exercise.
///
/// Call it in a ```` ```swift check ```` step, which runs right after its ```` ```swift exercise ```` step
/// in the same program: it sees the values the exercise computed (never its source, and never the
/// solution, which the student's program does not contain). The exercise passes when every `check` of its
/// check step holds; the page shows ✓ or ✗ and the message, and the build counts the exercises that pass.
/// A failed check is not a build error: the program goes on.
///
/// ```swift
/// check(total == 6, "total is the sum of 1, 2 and 3, so 6 (it is \(total))")
/// ```
///
/// - Parameters:
///   - condition: true when the exercise's result is right.
///   - message: one sentence for the student: what is expected, ideally with the value found.
public func check(_ condition: Bool, _ message: String) {
    emit(.check(CheckSpec(passed: condition, message: message)))
}
