import BookModel
import Testing
@testable import Notebook

/// The cache key is written by hand (no JSON): every component and every part of a step must change it.
@Suite struct CacheKeyTests {
    static let base = CacheComponents(path: "Content/01-a.md", steps: "s", timeout: 60, library: "l", toolchain: "t",
                                      data: "d", dependencies: ["00-x": "k"])

    @Test func everyComponentChangesTheKey() {
        // `key` lists the components by hand: a new one must be added there (and counted here).
        #expect(Mirror(reflecting: Self.base).children.count == 10)
        let changes: [(inout CacheComponents) -> Void] = [
            { $0.engine += 1 }, { $0.path += "x" }, { $0.steps += "x" }, { $0.timeout += 1 }, { $0.library += "x" },
            { $0.toolchain += "x" }, { $0.data += "x" }, { $0.shared += "x" }, { $0.edition = "teacher" },
            { $0.dependencies["00-x"] = "j" },
            { $0.dependencies["00-y"] = "k" }, { $0.dependencies = [:] },
            // Fields that run together must not collide: "s" + "l" against "sl" + "".
            { $0.steps = "sl"; $0.library = "" },
        ]
        var keys: Set<String> = [Self.base.key]
        for change in changes {
            var components = Self.base
            change(&components)
            keys.insert(components.key)
        }
        #expect(keys.count == changes.count + 1)
    }

    @Test func everyPartOfAStepChangesTheStepsHash() {
        let step = Step(index: 1, line: 3, code: "print(1)", flags: StepFlags())
        func hash(_ change: (inout Step) -> Void) -> String {
            var changed = step
            change(&changed)
            return CacheComponents.hashSteps(Chapter(path: "p", slug: "01-a", number: 1, title: "A", markdown: "", steps: [changed]))
        }
        let changes: [(inout Step) -> Void] = [
            { $0.index = 2 }, { $0.code += " " }, { $0.flags.hidden = true }, { $0.flags.hideOutput = true },
            { $0.flags.expectError = true }, { $0.flags.norun = true }, { $0.flags.part = .exercise },
            { $0.flags.part = .check }, { $0.flags.part = .solution },
        ]
        var hashes: Set<String> = [hash { _ in }]
        for change in changes { hashes.insert(hash(change)) }
        #expect(hashes.count == changes.count + 1)
        // Where a step stands and a norun step's code do not count (a prose edit above it re-renders only).
        #expect(hash { $0.line = 40 } == hash { _ in })
        #expect(hash { $0.flags.norun = true; $0.code = "other" } == hash { $0.flags.norun = true })
        // Folding changes only how the page shows the code, not what runs: it re-renders without re-running.
        #expect(hash { $0.flags.fold = true } == hash { _ in })
        #expect(hash { $0.flags.fold = false } == hash { _ in })
        // hashSteps lists the flags by hand: a new one must be added there, or left out on purpose as `fold` is.
        #expect(Mirror(reflecting: StepFlags()).children.count == 6)
    }
}
