import Markdown
import Testing
@testable import SiteKit

/// The dollar rule on its own (no KaTeX needed): which dollars open and close math, and where a formula was
/// written.
@Suite struct MathSpansTests {
    static func formulas(_ markdown: String) -> [String] {
        MathSpans.scan(markdown)?.spans.map { ($0.display ? "D:" : "I:") + $0.tex } ?? []
    }

    @Test(arguments: [
        ("$x$", ["I:x"]),
        ("a $x_{i}$ b $$y$$ c", ["I:x_{i}", "D:y"]),
        ("$$\n  \\frac{a}{b}\n$$\n", ["D:\\frac{a}{b}"]),
        ("$$ \\text{acc}_{train} $$", ["D:\\text{acc}_{train}"]),
        ("costs $5 and $10", []),
        ("$20,000 and $30,000", []),
        ("Pay $5 then $x$ now", ["I:x"]),
        ("$ x $ has spaces", []),
        ("$x $ closes after a space: no", []),
        ("$x$5 before a digit: no", []),
        ("\\$x\\$ escaped", []),
        ("$a \\$ b$ keeps an escaped dollar", ["I:a \\$ b"]),
        ("`$x$` and ``$y$ ` `` code", []),
        ("```\n$x$\n```\n", []),
        ("    $x$ indented code\n", []),
        ("<div>\n$x$\n</div>\n", []),
        ("a $x\n\nb$ across a blank line", []),
        ("a $x\ny$ across a line", ["I:x\ny"]),
        // A formula never leaves its block (the tester's cases): list items, quote lines, a heading's end.
        ("- budget: $a\n- spent: b$\n", []),
        ("> Cost $k\n> is n$ here.\n", []),
        ("> Cost $k$ here.\n", ["I:k"]),
        ("# Heading $x\ntext y$ more\n", []),
        ("- use `quoting $a$\n- and ` again\n", ["I:a"]),
        // Nor does it stand in a link's destination, an autolink or an HTML tag.
        ("[t](https://example.com/$x$y) and $z$", ["I:z"]),
        ("<https://example.com/$a$b>", []),
        ("<span title=\"$t$\">$u$</span>", ["I:u"]),
        ("$a<b$ is math", ["I:a<b"]),
        ("$$$$ empty", []),
        ("$", []),
        ("a$b$c", ["I:b"]),
    ])
    func theRule(_ markdown: String, _ expected: [String]) {
        #expect(Self.formulas(markdown) == expected, "\(markdown)")
    }

    @Test func positionsMapBackToTheFile() throws {
        let spans = try #require(MathSpans.scan("ab $x$ cd\n$$\ny\n$$ ef {{ k }}\n"))
        #expect(spans.spans.count == 2)
        // "cd" follows the first token on line 1; "ef" follows the display formula that ends on line 4.
        let protectedLines = spans.source.split(separator: "\n", omittingEmptySubsequences: false)
        let cd = try #require(protectedLines[0].range(of: "cd"))
        let cdColumn = protectedLines[0].utf8.distance(from: protectedLines[0].startIndex, to: cd.lowerBound) + 1
        #expect(spans.original(.init(line: 1, column: cdColumn)) == .init(line: 1, column: 8))
        let ef = try #require(protectedLines[1].range(of: "{{"))
        let efColumn = protectedLines[1].utf8.distance(from: protectedLines[1].startIndex, to: ef.lowerBound) + 1
        #expect(spans.original(.init(line: 2, column: efColumn)) == .init(line: 4, column: 7))
        #expect(spans.original(.init(line: 1, column: 4)) == .init(line: 1, column: 4), "inside a token: its dollar")
        #expect(spans.place(of: spans.spans[1], texOffset: 0) == .init(line: 3, column: 1))
    }

    @Test func tokensNeverCollideWithTheSource() throws {
        let spans = try #require(MathSpans.scan("<lb-math-0></lb-math-0> $x$"))
        #expect(spans.spans[0].token != "<lb-math-0></lb-math-0>")
        #expect(spans.replacingTokens(in: spans.source) { _ in "M" } == "<lb-math-0></lb-math-0> M")
    }
}
