import Testing
@testable import SiteKit

/// The spans the highlighter wraps around each kind of token.
@Suite struct HighlighterTests {
    func html(_ code: String) -> String { SwiftHighlighter.highlight(code) }

    @Test func keywordsTypesAndNumbers() {
        #expect(html("let x: Int = 42") ==
            #"<span class="k">let</span> x: <span class="t">Int</span> = <span class="n">42</span>"#)
        #expect(html("return 1.5e-3 + 0x1F + 1_000") ==
            #"<span class="k">return</span> <span class="n">1.5e-3</span> + <span class="n">0x1F</span> + <span class="n">1_000</span>"#)
    }

    @Test func rangesDoNotSwallowDots() {
        #expect(html("0..<10") == #"<span class="n">0</span>..&lt;<span class="n">10</span>"#)
        #expect(html("x.count") == "x.count")
    }

    @Test func comments() {
        #expect(html("a // note <b>") == #"a <span class="c">// note &lt;b&gt;</span>"#)
        #expect(html("/// Doc.\nf()") == "<span class=\"c\">/// Doc.</span>\nf()")
        #expect(html("/* a /* nested */ still */ x") == #"<span class="c">/* a /* nested */ still */</span> x"#)
        #expect(html("/* unterminated") == #"<span class="c">/* unterminated</span>"#)
    }

    @Test func stringsWithInterpolation() {
        #expect(html(#""a \(b + 1) c""#) ==
            #"<span class="s">"a \(</span>b + <span class="n">1</span><span class="s">) c"</span>"#)
        // Nested string inside an interpolation, and parentheses inside it.
        #expect(html(#""x \(f("y")) z""#) ==
            #"<span class="s">"x \(</span>f(<span class="s">"y"</span>)<span class="s">) z"</span>"#)
        #expect(html(#""esc \" quote""#) == #"<span class="s">"esc \" quote"</span>"#)
    }

    @Test func multilineAndRawStrings() {
        #expect(html("\"\"\"\nline \"quoted\"\n\"\"\" + x") ==
            "<span class=\"s\">\"\"\"\nline \"quoted\"\n\"\"\"</span> + x")
        #expect(html(##"#"raw \(no) "quote""#"##) == ##"<span class="s">#"raw \(no) "quote""#</span>"##)
        #expect(html(##"#"a \#(b)"#"##) == ##"<span class="s">#"a \#(</span>b<span class="s">)"#</span>"##)
    }

    @Test func attributesAndDirectives() {
        #expect(html("@MainActor func f()") ==
            #"<span class="a">@MainActor</span> <span class="k">func</span> f()"#)
        #expect(html("#sourceLocation(file: \"a.md\", line: 3)") ==
            #"<span class="a">#sourceLocation</span>(file: <span class="s">"a.md"</span>, line: <span class="n">3</span>)"#)
    }

    @Test func escapesMarkupInPlainCode() {
        #expect(html("a < b && c > d") == "a &lt; b &amp;&amp; c &gt; d")
    }

    @Test func unterminatedStringEndsAtLineEnd() {
        #expect(html("\"open\nlet x") == "<span class=\"s\">\"open</span>\n<span class=\"k\">let</span> x")
    }
}
