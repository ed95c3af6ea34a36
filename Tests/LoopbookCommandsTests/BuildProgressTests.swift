import Notebook
import Testing
@testable import LoopbookCommands

/// `loopbook build`'s progress lines: one per chapter, in book order, whatever order chapters finish in.
@Suite struct BuildProgressTests {
    /// Feeds `events` to a fresh `BuildProgress`; returns the stderr lines after each event.
    func lines(after events: [ProgressEvent]) -> [[String]] {
        let captured = CapturedConsole()
        let progress = BuildProgress(console: captured.console)
        return events.map { event in
            progress.handle(event)
            return captured.stderr.split(separator: "\n").map(String.init)
        }
    }

    @Test func linesFollowTheBookWhenChaptersFinishOutOfOrder() {
        let steps = lines(after: [
            .loaded(chapters: 3),
            .started(chapter: "01-intro", reason: "its steps changed"),
            .started(chapter: "03-end", reason: "no cache entry"),
            .cached(chapter: "02-middle"),
            .finished(chapter: "03-end", failed: false, seconds: 0.5),
            .finished(chapter: "01-intro", failed: false, seconds: 1.25),
        ])
        #expect(steps[4].isEmpty, "chapter 3 finished first, but waits for chapter 1: \(steps[4])")
        #expect(steps[5] == [
            "[1/3] 01-intro  ran because its steps changed (1.25 s)",
            "[2/3] 02-middle  cached",
            "[3/3] 03-end  ran because no cache entry (0.50 s)",
        ])
    }

    @Test func aLineIsPrintedAsSoonAsEveryEarlierChapterIsDone() {
        let steps = lines(after: [
            .loaded(chapters: 3),
            .started(chapter: "01-intro", reason: "its steps changed"),
            .started(chapter: "02-middle", reason: "its steps changed"),
            .started(chapter: "03-end", reason: "its steps changed"),
            .finished(chapter: "01-intro", failed: false, seconds: 0.1),
            .finished(chapter: "02-middle", failed: true, seconds: 0.2),
            .skipped(chapter: "03-end", reason: "dependency 02-middle failed"),
        ])
        #expect(steps[4] == ["[1/3] 01-intro  ran because its steps changed (0.10 s)"])
        #expect(steps[5].last == "[2/3] 02-middle  failed (0.20 s)")
        #expect(steps[6].last == "[3/3] 03-end  skipped because dependency 02-middle failed")
    }

    @Test func chapterNumbersOrderNumerically() {
        let steps = lines(after: [
            .loaded(chapters: 11),
        ] + (1...11).reversed().map { .cached(chapter: "\($0)-c") })
        let last = steps.last ?? []
        #expect(last.count == 11)
        #expect(last.first == "[ 1/11] 1-c  cached", "numbers are padded to the width of the total")
        #expect(last.map { $0.split(separator: " ").last(where: { $0.hasSuffix("-c") }).map(String.init) ?? "" }
            == (1...11).map { "\($0)-c" })
    }

    @Test func withoutALoadedEventLinesComeInFinishingOrder() {
        let steps = lines(after: [
            .cached(chapter: "02-b"),
            .cached(chapter: "01-a"),
        ])
        #expect(steps[1] == ["[1/1] 02-b  cached", "[2/2] 01-a  cached"])
    }

    @Test func bookOrderMatchesTheLoader() {
        #expect(["10-x", "2-b", "02-a", "1-z"].sorted(by: BuildProgress.bookOrder) == ["1-z", "02-a", "2-b", "10-x"])
    }
}
