import Foundation

/// A warning the library gives where scikit-learn calls `warnings.warn`: the result is still returned,
/// but something about it deserves attention (an out-of-bag score over rows no tree left out, a warm
/// start that grew no trees, a precision with no predicted samples).
public struct LearningWarning: Sendable, Equatable, Codable, CustomStringConvertible {
    /// The Python warning class scikit-learn uses.
    public enum Category: String, Sendable, Equatable, Codable {
        case userWarning = "UserWarning"
        case undefinedMetricWarning = "UndefinedMetricWarning"
        case runtimeWarning = "RuntimeWarning"
    }

    public let category: Category
    /// scikit-learn's message, word for word.
    public let message: String

    public init(_ category: Category, _ message: String) {
        self.category = category
        self.message = message
    }

    /// `UserWarning: message`, as Python prints it.
    public var description: String { "\(category.rawValue): \(message)" }
}

/// Where warnings go. By default each is printed to standard error as Python prints it
/// (`UserWarning: …`); `collecting(_:)` gathers them instead, and `handler` can route them anywhere for
/// the current task (a task-local value, so concurrent callers do not see each other's warnings).
public enum LearningWarnings {
    /// Receives every warning given while set; `nil` prints to standard error.
    @TaskLocal public static var handler: (@Sendable (LearningWarning) -> Void)?

    /// Runs `body` and returns its result with the warnings it gave, in order; nothing is printed.
    public static func collecting<T>(_ body: () throws -> T) rethrows -> (result: T, warnings: [LearningWarning]) {
        let box = WarningBox()
        let result = try $handler.withValue({ box.append($0) }) { try body() }
        return (result, box.items)
    }
}

/// Gives a warning: to `LearningWarnings.handler`, or to standard error.
func warn(_ warning: LearningWarning) {
    if let handler = LearningWarnings.handler {
        handler(warning)
    } else {
        FileHandle.standardError.write(Data((warning.description + "\n").utf8))
    }
}

private final class WarningBox: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [LearningWarning] = []

    func append(_ warning: LearningWarning) {
        lock.lock(); storage.append(warning); lock.unlock()
    }

    var items: [LearningWarning] {
        lock.lock(); defer { lock.unlock() }
        return storage
    }
}
