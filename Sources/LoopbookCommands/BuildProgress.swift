import Foundation
import LoopbookBuild
import Notebook

/// Turns the notebook's progress events into numbered lines on stderr, in book order:
/// `[3/11] 03-data  ran because its steps changed (0.62 s)`.
///
/// Chapters run in parallel and finish in any order, so a chapter's line waits until every chapter
/// before it in the book has its line; `[k/N]` is then both the chapter's place in the book and how
/// many are done. Every chapter announces itself (cached, started or skipped) as soon as the build
/// starts, which is when the set of chapters, and so the book order, is known.
final class BuildProgress: @unchecked Sendable {
    private let console: Console
    private let lock = NSLock()
    private var total = 0
    private var reasons: [String: String] = [:]
    /// Every chapter an event has named so far.
    private var announced: Set<String> = []
    /// The finished chapters' texts ("cached", "ran because …"), by slug, until their line is printed.
    private var outcomes: [String: String] = [:]
    /// How many lines have been printed.
    private var printed = 0
    /// The book order, once every chapter has announced itself (sorted once, not at every event).
    private var order: [String]?

    init(console: Console) { self.console = console }

    func handle(_ event: ProgressEvent) {
        lock.withLock {
            switch event {
            case let .loaded(chapters):
                total = chapters
                reasons = [:]
                announced = []
                outcomes = [:]
                printed = 0
                order = nil
            case let .started(chapter, reason):
                reasons[chapter] = reason
                announced.insert(chapter)
            case let .cached(chapter):
                finish(chapter, "cached")
            case let .finished(chapter, failed, seconds):
                let time = Self.seconds(seconds)
                if failed {
                    finish(chapter, "failed (\(time))")
                } else {
                    finish(chapter, "ran because \(reasons[chapter] ?? "it was not cached") (\(time))")
                }
            case let .skipped(chapter, reason):
                finish(chapter, "skipped because \(reason)")
            }
        }
    }

    /// Records a chapter's outcome and prints every line that is now next in book order (under `lock`).
    private func finish(_ chapter: String, _ text: String) {
        announced.insert(chapter)
        guard total > 0 else {
            // Without a `loaded` event there is no order to keep: lines are printed as chapters finish.
            printed += 1
            console.progress(line(number: printed, chapter, text))
            return
        }
        outcomes[chapter] = text
        // Until every chapter has announced itself the order is not known.
        guard announced.count >= total else { return }
        if order == nil || order!.count != announced.count { order = Self.sortedInBookOrder(announced) }
        guard let order else { return }
        while printed < order.count, let done = outcomes.removeValue(forKey: order[printed]) {
            printed += 1
            console.progress(line(number: printed, order[printed - 1], done))
        }
    }

    private func line(number: Int, _ chapter: String, _ text: String) -> String {
        let count = Swift.max(total, number)
        let width = String(count).count
        let padded = String(repeating: " ", count: Swift.max(0, width - String(number).count)) + String(number)
        return "[\(padded)/\(count)] \(chapter)  \(text)"
    }

    /// The book's order: by the number before the first `-` of the slug, then by slug (as the loader sorts).
    static func bookOrder(_ a: String, _ b: String) -> Bool {
        func number(_ slug: String) -> Int { Int(slug.prefix { $0.isASCII && $0.isNumber }) ?? Int.max }
        let (na, nb) = (number(a), number(b))
        return na != nb ? na < nb : a < b
    }

    /// `slugs` in `bookOrder`, each slug's number read once.
    static func sortedInBookOrder(_ slugs: Set<String>) -> [String] {
        slugs.map { (Int($0.prefix { $0.isASCII && $0.isNumber }) ?? Int.max, $0) }
            .sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }.map(\.1)
    }

    /// "0.62 s", for the terminal only (never for pages).
    static func seconds(_ value: Double) -> String {
        String(format: "%.2f s", value)
    }
}
