import BookModel
import Notebook
import Testing
@testable import SiteKit

/// Program output is shown as a terminal shows it: colours and styles as spans, carriage returns,
/// backspaces and tabs interpreted, every other control gone, text always escaped (issue 11, case b01).
@Suite struct TerminalTextTests {
    let esc = "\u{1B}"

    func html(_ text: String) -> String { TerminalText.html(text) }

    @Test func theCaseB01ColoursAndBoldBecomeSpans() {
        #expect(html("\(esc)[31mred\(esc)[0m and \(esc)[1mbold\(esc)[0m")
            == "<span class=\"ansi-red-fg\">red</span> and <span class=\"ansi-bold\">bold</span>")
    }

    @Test func plainTextIsExactlyWhatEscapingGives() {
        for text in ["", "a\nb\n", "<b>&\"'</b>", "héllo 👋🏽\n\nwörld", "e\u{301}"] {
            #expect(html(text) == HTML.escape(text))
        }
    }

    /// A bidirectional override can make a line read differently from what was printed ("AB ‮evil" shows
    /// "AB live"): the page shows its code point, as the terminal does, with or without other controls.
    @Test func bidiOverridesAndIsolatesAreShownAsCodePoints() {
        #expect(html("AB \u{202E}evil\u{202C} NU") == "AB &lt;U+202E&gt;evil&lt;U+202C&gt; NU")
        #expect(html("\u{2066}x\u{2069}\u{202A}") == "&lt;U+2066&gt;x&lt;U+2069&gt;&lt;U+202A&gt;")
        #expect(html("\(esc)[31m\u{202E}red\(esc)[0m") == "<span class=\"ansi-red-fg\">&lt;U+202E&gt;red</span>")
        #expect(html("Arabic \u{0627}\u{0644} stays") == "Arabic \u{0627}\u{0644} stays")
    }

    @Test func theSixteenColoursForegroundAndBackground() {
        #expect(html("\(esc)[32mg\(esc)[39m") == "<span class=\"ansi-green-fg\">g</span>")
        #expect(html("\(esc)[44mb\(esc)[49m") == "<span class=\"ansi-blue-bg\">b</span>")
        #expect(html("\(esc)[93mY\(esc)[m") == "<span class=\"ansi-yellow-intense-fg\">Y</span>")
        #expect(html("\(esc)[107mW\(esc)[m") == "<span class=\"ansi-white-intense-bg\">W</span>")
        #expect(html("\(esc)[30;47mk") == "<span class=\"ansi-black-fg ansi-white-bg\">k</span>")
        // The 256-colour palette's first 16 are the same classes.
        #expect(html("\(esc)[38;5;1mr\(esc)[48;5;12mb") == "<span class=\"ansi-red-fg\">r</span><span class=\"ansi-red-fg ansi-blue-intense-bg\">b</span>")
    }

    @Test func extendedColoursAreInlineHex() {
        #expect(html("\(esc)[38;5;208mo") == "<span style=\"color:#ff8700\">o</span>")
        #expect(html("\(esc)[48;5;16mk") == "<span style=\"background-color:#000000\">k</span>")
        #expect(html("\(esc)[38;5;244mg") == "<span style=\"color:#808080\">g</span>")
        #expect(html("\(esc)[38;2;10;200;255mt") == "<span style=\"color:#0ac8ff\">t</span>")
        #expect(html("\(esc)[38:2::1:2:3mc") == "<span style=\"color:#010203\">c</span>")
        #expect(html("\(esc)[38:5:196mc") == "<span style=\"color:#ff0000\">c</span>")
        #expect(html("\(esc)[1;38;2;0;0;0;48;5;231mx") == "<span class=\"ansi-bold\" style=\"color:#000000;background-color:#ffffff\">x</span>")
        // Out of range or cut short: ignored, as a terminal ignores it.
        #expect(html("\(esc)[38;5;300mx") == "x")
        #expect(html("\(esc)[38;2;1;2mx") == "x")
    }

    @Test func attributesAndTheirResets() {
        #expect(html("\(esc)[2md\(esc)[22m\(esc)[3mi\(esc)[23m\(esc)[4mu\(esc)[24m\(esc)[9ms\(esc)[29mn")
            == "<span class=\"ansi-dim\">d</span><span class=\"ansi-italic\">i</span><span class=\"ansi-underline\">u</span>"
            + "<span class=\"ansi-strike\">s</span>n")
        #expect(html("\(esc)[1;3;4mx\(esc)[0my") == "<span class=\"ansi-bold ansi-italic ansi-underline\">x</span>y")
        #expect(html("\(esc)[1mb\(esc)[22mn") == "<span class=\"ansi-bold\">b</span>n")
    }

    @Test func inverseSwapsColoursAndUsesTheThemeForDefaults() {
        #expect(html("\(esc)[7mi\(esc)[27mn") == "<span class=\"ansi-default-inverse-fg ansi-default-inverse-bg\">i</span>n")
        #expect(html("\(esc)[31;7mi") == "<span class=\"ansi-red-bg ansi-default-inverse-fg\">i</span>")
        #expect(html("\(esc)[31;42;7mi") == "<span class=\"ansi-green-fg ansi-red-bg\">i</span>")
    }

    @Test func spansCloseAtTheEndOfEachLine() {
        #expect(html("\(esc)[31ma\nb\(esc)[0m\nc") == "<span class=\"ansi-red-fg\">a</span>\n<span class=\"ansi-red-fg\">b</span>\nc")
    }

    @Test func carriageReturnOverwritesLikeAProgressBar() {
        #expect(html("progress 10%\rprogress 55%\rprogress 100%\ndone") == "progress 100%\ndone")
        #expect(html("abcdef\rXY") == "XYcdef")
        #expect(html("line\r\nnext") == "line\nnext")
        // tqdm's way: return, then erase the rest of the line.
        #expect(html("[#####     ] 50%\r\(esc)[K[##########] 100%") == "[##########] 100%")
        #expect(html("loading...\r\(esc)[2Kok") == "ok")
    }

    @Test func backspaceStepsBackAndTheNextCharacterOverwrites() {
        #expect(html("50%\u{8}\u{8}\u{8}60%") == "60%")
        #expect(html("abc\u{8}\u{8}X") == "aXc")
        #expect(html("\u{8}\u{8}a") == "a")
    }

    @Test func tabsMoveToTheNextMultipleOfEight() {
        #expect(html("a\tb") == "a       b")
        #expect(html("12345678\tx") == "12345678        x")
        #expect(html("name\tvalue\nabcdefghij\t1") == "name    value\nabcdefghij      1")
        // Moving alone does not write blanks.
        #expect(html("a\t\nb") == "a\nb")
    }

    @Test func bellNulAndOtherControlsVanish() {
        #expect(html("ding\u{7}!") == "ding!")
        #expect(html("a\u{0}b\u{1}c\u{7F}d\u{9B}e\u{1E}f") == "abcdef")
    }

    @Test func formFeedAndVerticalTabMoveDownInTheSameColumn() {
        #expect(html("ab\u{C}cd") == "ab\n  cd")
        #expect(html("ab\u{B}c") == "ab\n  c")
    }

    @Test func cursorMovementActsOnTheCells() {
        #expect(html("abcdef\(esc)[3Dxy") == "abcxyf")
        #expect(html("a\(esc)[3Cb") == "a   b")
        #expect(html("abcdef\(esc)[2GZ") == "aZcdef")
        // Two bars redrawn in place: up one line, return, rewrite.
        #expect(html("bar 1: 10%\nbar 2: 20%\(esc)[1A\rbar 1: 90%\(esc)[1B\rbar 2: 80%") == "bar 1: 90%\nbar 2: 80%")
        #expect(html("a\(esc)[99Ab") == "ab")
        #expect(html("a\(esc)[99Bb") == "ab")
        #expect(html("one\(esc)[stwo\(esc)[u!") == "one!wo")
        #expect(html("one\(esc)7two\(esc)8!") == "one!wo")
        #expect(html("keep\nthis\(esc)[1A\(esc)[2D\(esc)[J") == "ke")
    }

    @Test func otherSequencesAreDropped() {
        #expect(html("\(esc)]0;window title\u{7}text") == "text")
        #expect(html("\(esc)]8;;https://example.com\(esc)\\link\(esc)]8;;\(esc)\\") == "link")
        #expect(html("\(esc)[?25lhidden cursor\(esc)[?25h") == "hidden cursor")
        #expect(html("\(esc)[2J\(esc)[Hclear") == "clear")
        #expect(html("\(esc)(Bcharset\(esc)=") == "charset")
        #expect(html("\(esc)[5;31;6mblink") == "<span class=\"ansi-red-fg\">blink</span>")
        #expect(html("cut off\(esc)[") == "cut off")
        #expect(html("cut off\(esc)") == "cut off")
        #expect(html("\(esc)[3\(esc)[31mx") == "<span class=\"ansi-red-fg\">x</span>")
    }

    @Test func textStaysEscapedThroughEverything() {
        #expect(html("\(esc)[31m<script>alert(1)</script>\(esc)[0m")
            == "<span class=\"ansi-red-fg\">&lt;script&gt;alert(1)&lt;/script&gt;</span>")
        #expect(html("<img\rX\"><b>\u{7}") == "X\"&gt;&lt;b&gt;".replacingOccurrences(of: "\"", with: "&quot;"))
        // Parameters never reach an attribute except as numbers.
        #expect(html("\(esc)[38;2;1;2;3\"mx") == "x")
        #expect(html("\(esc)]0;<script>\u{7}ok") == "ok")
    }

    @Test func hugeParametersCannotMakeHugeLines() {
        let result = html("a\(esc)[99999999999999999999999Cb\t\t\(esc)[999999999Gc")
        #expect(result.count < TerminalText.maxColumn + 10)
        #expect(result.hasPrefix("a ") && result.hasSuffix("c"))
    }

    @Test func randomBytesNeverTrapAndNeverMakeMarkup() {
        var generator = SplitMix(seed: 11)
        let alphabet: [String] = ["\u{1B}", "[", "]", ";", ":", "m", "K", "A", "C", "D", "G", "J", "?", "1", "3", "8", "5", "2",
                                  "\r", "\n", "\u{8}", "\t", "\u{7}", "\u{C}", "<", ">", "&", "\"", "a", "é", "\\", "7", "u", "s"]
        for _ in 0..<2000 {
            let text = (0..<Int(generator.next() % 60)).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] }.joined()
            let result = html(text)
            let markupFree = result.replacing(/<span( class="[a-z -]+")?( style="[a-z:#0-9;-]+")?>/, with: "")
                .replacingOccurrences(of: "</span>", with: "")
            #expect(!markupFree.contains("<") && !markupFree.contains(">"), "\(text.debugDescription) → \(result)")
            #expect(!result.unicodeScalars.contains { TerminalText.isControl($0) && $0 != "\n" }, "\(text.debugDescription)")
        }
    }

    @Test func thePageRendersOutputAndFailuresThroughTheTerminal() throws {
        let chapter = Chapter(path: "Content/01-x.md", slug: "01-x", number: 1, title: "T",
                              blocks: [.step(Step(index: 1, line: 3, code: "print(1)\n", flags: StepFlags()))])
        let outputs: [StepOutput] = [.stdout("\(esc)[31mred\(esc)[0m and \(esc)[1mbold\(esc)[0m\n"), .stderr("50%\r100%\n")]
        let result = ChapterResult(steps: [StepResult(index: 1, outputs: outputs,
                                                      failure: StepFailure(file: "Content/01-x.md", line: 3, message: "\(esc)[31mboom\(esc)[0m"))])
        let page = try #require(try SiteRenderer(book: BookInfo(title: "B"))
            .render([ExecutedChapter(chapter: chapter, result: result, status: .cached)]).text("01-x.html"))
        #expect(page.contains("<pre class=\"output stdout\"><span class=\"ansi-red-fg\">red</span> and <span class=\"ansi-bold\">bold</span></pre>"))
        #expect(page.contains("<pre class=\"output stderr\" aria-label=\"Standard error\">100%</pre>"))
        #expect(page.contains("<pre><span class=\"ansi-red-fg\">boom</span></pre>"))
        #expect(!page.contains("\u{1B}"))
    }

    @Test func everyColourClassHasARuleInBothThemes() throws {
        let css = String(decoding: PackageResources.style_css, as: UTF8.self)
        for name in TerminalStyle.names {
            for variant in [name, name + "-intense"] {
                #expect(css.contains(".ansi-\(variant)-fg { color: var(--ansi-\(variant)); }"))
                #expect(css.contains(".ansi-\(variant)-bg { background-color: var(--ansi-\(variant)); }"))
                #expect(css.components(separatedBy: "--ansi-\(variant):").count == 3, "--ansi-\(variant) in light and dark")
            }
        }
    }
}
