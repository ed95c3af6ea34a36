import Foundation
import LoopbookTestSupport
import Testing
@testable import Notebook

/// Front matter of plain `key: value` lines is read without a YAML parse; whatever it reads must be exactly
/// what Yams reads, and anything it cannot be sure of goes to Yams.
@Suite struct FrontMatterFastPathTests {
    @Test func plainLinesAreReadWithoutYAMLAndAsYAMLReadsThem() throws {
        let yaml = "title: Chapter 3\nsummary: What round 3 changes, and why.\n\ntimeout: 120\nmemory: 8GB\n"
        let simple = try #require(YAMLMapping.plainEntries(yaml, firstLine: 2))
        #expect(simple.map(\.key) == ["title", "summary", "timeout", "memory"])
        #expect(simple.map(\.line) == [2, 3, 5, 6])
        #expect(try YAMLMapping(yaml: yaml, path: "x.md", firstLine: 2).readings
                == YAMLMapping(composing: yaml, path: "x.md", firstLine: 2).readings)
    }

    @Test func anythingElseGoesToYAML() {
        for yaml in ["title: 'quoted'", "title: a # comment", "depends-on: 03-data", "title: café", "title: [a, b]",
                     "title:", "title:x", " title: x", "title: x:", "title: a: b", "# comment\ntitle: x", "title: |\n  x",
                     "title: -x", "title: x ", "title: *anchor", "summary: a\n  continued", "title: a\tb", "%YAML 1.2"] {
            #expect(YAMLMapping.plainEntries(yaml, firstLine: 2) == nil, "\(yaml)")
        }
    }

    @Test func duplicateKeysAreStillAnErrorAtTheSecondLine() {
        #expect(throws: NotebookError.frontMatter(path: "Content/01-a.md", line: 3,
                                                  message: "'title' is given twice (lines 2 and 3); keep one of them.")) {
            _ = try YAMLMapping(yaml: "title: A\ntitle: B\n", path: "Content/01-a.md", firstLine: 2)
        }
    }

    /// Random lines of keys and values made of the characters YAML treats specially: whenever the fast path
    /// reads them, Yams reads the same text, number, boolean, null and tag on the same lines.
    @Test func randomLinesReadTheSameBothWays() throws {
        var random = SplitMix64(state: 20261201)
        let keys = ["title", "summary", "timeout", "memory", "x-y", "a_b", "t1", "yes", "null"]
        let pieces = ["a", "Z", "0", "1", ".", "5", "e", "x", " ", ":", "#", "-", "'", "\"", "[", "]", "{", "}", ",",
                      "!", "%", "@", "|", ">", "*", "&", "?", "~", "\\", "/", "true", "no", "null", "0x1F", "1e3",
                      ".inf", "é", "\t", "=", "<<", "`"]
        var fast = 0
        for _ in 0..<4_000 {
            var lines: [String] = []
            for _ in 0..<Int(random.next() % 3 + 1) {
                var value = ""
                for _ in 0..<Int(random.next() % 6) { value += pieces[Int(random.next() % UInt64(pieces.count))] }
                lines.append(keys[Int(random.next() % UInt64(keys.count))] + ": " + value)
            }
            let yaml = lines.joined(separator: "\n") + "\n"
            guard let simple = YAMLMapping.plainEntries(yaml, firstLine: 2) else { continue }
            fast += 1
            let composed = try YAMLMapping(composing: yaml, path: "x.md", firstLine: 2)
            let readings = YAMLMapping(entries: simple).readings
            #expect(readings == composed.readings, "\(yaml)")
        }
        #expect(fast > 500)
    }
}
