/// Program output as a terminal shows it, as HTML for a `<pre>`.
///
/// A small terminal: characters are written into lines of cells at a cursor, so what a terminal
/// interprets is interpreted, not shown raw —
/// - `\r` returns to the start of the line and later text overwrites it (a progress bar ends as its last
///   state), `\b` steps back one cell, `\t` moves to the next multiple of 8 columns, `\n` starts a new line,
///   `\v` and `\f` move down a line in the same column (as xterm does), the bell and other controls vanish;
/// - SGR (`ESC[…m`) sets bold, dim, italic, underline, strike-through, inverse and colours — the 16
///   colours as classes (`ansi-red-fg`, `ansi-red-intense-bg`, as Jupyter's nbconvert names them, styled
///   for both themes in style.css), 256-colour and 24-bit ones as an inline `color:#rrggbb`;
/// - cursor movement within the output (`ESC[nA/B/C/D/E/F/G`), erasing (`ESC[K`, `ESC[J`) and saving
///   the cursor (`ESC[s`/`ESC[u`, `ESC 7`/`ESC 8`) act on the cells; absolute positions (`ESC[H`) and
///   whole-screen erases refer to a screen the page does not have and are dropped, with every other
///   control sequence, OSC strings (titles, hyperlinks) and private modes.
///
/// Text is escaped; attributes are built from numbers only. Output without controls comes out as
/// `HTML.escape` gives it.
enum TerminalText {
    /// The HTML for `text`: escaped, with styled runs in `<span>`s.
    ///
    /// The bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069), which could make a line
    /// read differently from what the program printed, are shown as `<U+202E>`, as the terminal shows them.
    static func html(_ text: String) -> String {
        let text = showingBidiControls(text)
        guard text.unicodeScalars.contains(where: { isControl($0) && $0 != "\n" }) else { return HTML.escape(text) }
        var screen = Screen()
        screen.feed(text)
        return screen.html()
    }

    /// `text` with each bidirectional override or isolate replaced by its code point, e.g. `<U+202E>`.
    static func showingBidiControls(_ text: String) -> String {
        func isBidi(_ scalar: Unicode.Scalar) -> Bool {
            (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value)
        }
        guard text.unicodeScalars.contains(where: isBidi) else { return text }
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if isBidi(scalar) {
                result.append(contentsOf: "<U+\(String(scalar.value, radix: 16, uppercase: true))>".unicodeScalars)
            } else {
                result.append(scalar)
            }
        }
        return String(result)
    }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    /// How far the cursor may be moved to the right (by `\t`, `ESC[nC`, `ESC[nG`): text written goes
    /// further, movement alone does not make lines of millions of blanks.
    static let maxColumn = 4096
}

/// The look of a cell.
struct TerminalStyle: Hashable {
    enum Colour: Hashable {
        case standard
        /// xterm's 256 colours: 0–7 normal, 8–15 bright, 16–231 a 6×6×6 cube, 232–255 grays.
        case palette(Int)
        case rgb(Int, Int, Int)
    }

    var foreground = Colour.standard
    var background = Colour.standard
    var bold = false, dim = false, italic = false, underline = false, strike = false, inverse = false

    static let names = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]

    /// The span's `class` and `style` attribute values; both empty for the default look.
    var attributes: (classes: [String], style: String) {
        var classes: [String] = []
        var style = ""
        var foreground = foreground, background = background
        var inverseForeground = false, inverseBackground = false
        if inverse {
            swap(&foreground, &background)
            if foreground == .standard { inverseForeground = true }
            if background == .standard { inverseBackground = true }
        }
        func add(_ colour: Colour, _ suffix: String, _ property: String) {
            switch colour {
            case .standard: break
            case let .palette(index) where index < 16:
                classes.append("ansi-\(Self.names[index % 8])\(index >= 8 ? "-intense" : "")-\(suffix)")
            case let .palette(index): style += "\(property):\(Self.hex(Self.rgb(index)));"
            case let .rgb(r, g, b): style += "\(property):\(Self.hex((r, g, b)));"
            }
        }
        add(foreground, "fg", "color")
        add(background, "bg", "background-color")
        if inverseForeground { classes.append("ansi-default-inverse-fg") }
        if inverseBackground { classes.append("ansi-default-inverse-bg") }
        if bold { classes.append("ansi-bold") }
        if dim { classes.append("ansi-dim") }
        if italic { classes.append("ansi-italic") }
        if underline { classes.append("ansi-underline") }
        if strike { classes.append("ansi-strike") }
        if style.hasSuffix(";") { style.removeLast() }
        return (classes, style)
    }

    /// The red, green and blue of xterm's colour `index` (16–255).
    static func rgb(_ index: Int) -> (Int, Int, Int) {
        if index >= 232 {
            let level = 8 + 10 * (index - 232)
            return (level, level, level)
        }
        let levels = [0, 95, 135, 175, 215, 255]
        let cube = index - 16
        return (levels[cube / 36], levels[cube / 6 % 6], levels[cube % 6])
    }

    static func hex(_ rgb: (Int, Int, Int)) -> String {
        let digits = Array("0123456789abcdef")
        return "#" + [rgb.0, rgb.1, rgb.2].map { String([digits[$0 / 16], digits[$0 % 16]]) }.joined()
    }

    /// Applies the parameters of one SGR sequence, e.g. `[[1], [38], [5], [208]]` or `[[38, 2, nil, 1, 2, 3]]`
    /// (a colon-separated group); unknown codes are ignored, as a terminal ignores them.
    mutating func apply(_ groups: [[Int?]]) {
        var index = 0
        while index < groups.count {
            let group = groups[index]
            let code = group.first.flatMap { $0 } ?? 0
            index += 1
            switch code {
            case 0: self = TerminalStyle()
            case 1: bold = true
            case 2: dim = true
            case 3: italic = true
            case 4: underline = (group.count > 1 ? group[1] ?? 1 : 1) != 0
            case 7: inverse = true
            case 9: strike = true
            case 21: underline = true
            case 22: bold = false; dim = false
            case 23: italic = false
            case 24: underline = false
            case 27: inverse = false
            case 29: strike = false
            case 30...37: foreground = .palette(code - 30)
            case 39: foreground = .standard
            case 40...47: background = .palette(code - 40)
            case 49: background = .standard
            case 90...97: foreground = .palette(code - 90 + 8)
            case 100...107: background = .palette(code - 100 + 8)
            case 38, 48:
                var colour: Colour?
                if group.count > 1 {
                    // ITU form: 38:5:n, 38:2:r:g:b or 38:2:<colour space>:r:g:b.
                    let rest = Array(group.dropFirst())
                    if rest.first == 5, rest.count >= 2 {
                        colour = Self.paletteColour(rest[1])
                    } else if rest.first == 2, rest.count >= 4 {
                        let rgb = rest.count >= 5 ? Array(rest[2...4]) : Array(rest[1...3])
                        colour = Self.rgbColour(rgb)
                    }
                } else {
                    // The common form: 38;5;n and 38;2;r;g;b, taking the parameters that follow.
                    let rest = groups[index...].map { $0.first.flatMap { $0 } }
                    if rest.first == 5, rest.count >= 2 {
                        colour = Self.paletteColour(rest[1])
                        index += 2
                    } else if rest.first == 2, rest.count >= 4 {
                        colour = Self.rgbColour(Array(rest[1...3]))
                        index += 4
                    } else {
                        index = groups.count  // malformed: the rest cannot be read
                    }
                }
                if let colour {
                    if code == 38 { foreground = colour } else { background = colour }
                }
            default: break
            }
        }
    }

    static func paletteColour(_ value: Int?) -> Colour? {
        guard let value, (0...255).contains(value) else { return nil }
        return .palette(value)
    }

    static func rgbColour(_ values: [Int?]) -> Colour? {
        let components = values.compactMap { $0 }.filter { (0...255).contains($0) }
        guard components.count == 3 else { return nil }
        return .rgb(components[0], components[1], components[2])
    }
}

extension TerminalText {
    /// Lines of cells and a cursor; fed characters, it interprets them as a terminal would.
    struct Screen {
        struct Cell {
            var character: Character
            var style: Int
        }

        var lines: [[Cell]] = [[]]
        var row = 0
        var column = 0
        var saved: (row: Int, column: Int)?
        var style = TerminalStyle()
        /// Distinct styles in order of use; cells refer to them by index (0 is the default look).
        var styles: [TerminalStyle] = [TerminalStyle()]
        var styleIndex: [TerminalStyle: Int] = [TerminalStyle(): 0]

        private enum State {
            case ground
            case escape
            case escapeIntermediate
            case csi(String)
            /// An OSC, DCS, SOS, PM or APC string, ended by BEL or ST (`ESC \`).
            case string(escaped: Bool)
        }
        private var state = State.ground

        mutating func feed(_ text: String) {
            for character in text {
                if character == "\r\n" {
                    control("\r")
                    control("\n")
                    continue
                }
                let scalar = character.unicodeScalars.first!
                switch state {
                case .ground:
                    if TerminalText.isControl(scalar) { control(scalar) } else { put(character) }
                case .escape:
                    switch scalar {
                    case "[": state = .csi("")
                    case "]", "P", "X", "^", "_": state = .string(escaped: false)
                    case "7": saved = (row, column); state = .ground
                    case "8": restore(); state = .ground
                    case "\u{1B}": state = .escape
                    default:
                        state = (0x20...0x2F).contains(scalar.value) ? .escapeIntermediate : .ground
                    }
                case .escapeIntermediate:
                    if !(0x20...0x2F).contains(scalar.value) { state = .ground }
                case let .csi(collected):
                    if (0x40...0x7E).contains(scalar.value) {
                        state = .ground
                        csi(collected, final: scalar)
                    } else if scalar == "\u{1B}" {
                        state = .escape  // an unfinished sequence, cut off by a new one
                    } else if scalar.value < 0x20 {
                        control(scalar)  // a terminal acts on a control inside a sequence
                    } else if (0x20...0x3F).contains(scalar.value), collected.utf8.count < 256 {
                        state = .csi(collected + String(scalar))
                    } else if !(0x20...0x3F).contains(scalar.value) {
                        state = .ground  // not a sequence after all: drop it
                    }
                case let .string(escaped):
                    if scalar == "\u{7}" || (escaped && scalar == "\\") {
                        state = .ground
                    } else {
                        state = .string(escaped: scalar == "\u{1B}")
                    }
                }
            }
        }

        private mutating func control(_ scalar: Unicode.Scalar) {
            switch scalar {
            case "\n": down(startOfLine: true)
            case "\r": column = 0
            case "\u{8}": column = max(0, column - 1)
            case "\t": column = max(column, min(TerminalText.maxColumn, (column / 8 + 1) * 8))
            case "\u{B}", "\u{C}": down(startOfLine: false)
            case "\u{1B}": state = .escape
            default: break  // the bell, NUL, C1 controls and the rest show nothing
            }
        }

        /// One line down, making it if the cursor is on the last line (as a terminal scrolls).
        private mutating func down(startOfLine: Bool) {
            row += 1
            if row == lines.count { lines.append([]) }
            if startOfLine { column = 0 }
        }

        private mutating func restore() {
            guard let saved else { return }
            row = min(saved.row, lines.count - 1)
            column = saved.column
        }

        private mutating func put(_ character: Character) {
            let cell = Cell(character: character, style: currentStyle())
            if column < lines[row].count {
                lines[row][column] = cell
            } else {
                if column > lines[row].count {
                    lines[row].append(contentsOf: repeatElement(Cell(character: " ", style: 0), count: column - lines[row].count))
                }
                lines[row].append(cell)
            }
            column += 1
        }

        private mutating func currentStyle() -> Int {
            if let index = styleIndex[style] { return index }
            styles.append(style)
            styleIndex[style] = styles.count - 1
            return styles.count - 1
        }

        private mutating func csi(_ parameters: String, final: Unicode.Scalar) {
            // Private (`ESC[?25l`) and intermediate-byte sequences: modes a page has no use for.
            if let first = parameters.unicodeScalars.first, "<=>?".unicodeScalars.contains(first) { return }
            if parameters.unicodeScalars.contains(where: { (0x20...0x2F).contains($0.value) }) { return }
            let groups = parameters.split(separator: ";", omittingEmptySubsequences: false).map { group in
                group.split(separator: ":", omittingEmptySubsequences: false).map { Self.number($0) }
            }
            let n = max(1, groups.first?.first.flatMap { $0 } ?? 1)
            let mode = groups.first?.first.flatMap { $0 } ?? 0
            switch final {
            case "m": style.apply(groups)
            case "A": row = max(0, row - n)
            case "B": row = min(lines.count - 1, row + n)
            case "C": column = max(column, min(TerminalText.maxColumn, column + n))
            case "D": column = max(0, column - n)
            case "E": row = min(lines.count - 1, row + n); column = 0
            case "F": row = max(0, row - n); column = 0
            case "G": column = min(TerminalText.maxColumn, n - 1)
            case "K":
                switch mode {
                case 0: if column < lines[row].count { lines[row].removeSubrange(column...) }
                case 1: eraseStart()
                case 2: lines[row] = []
                default: break
                }
            case "J":
                // Below the cursor only: above it is the scrollback a reader scrolls through.
                if mode == 0 {
                    if column < lines[row].count { lines[row].removeSubrange(column...) }
                    lines.removeSubrange((row + 1)...)
                }
            case "s": saved = (row, column)
            case "u": restore()
            default: break
            }
        }

        /// `ESC[1K`: blanks from the start of the line to the cursor, inclusive.
        private mutating func eraseStart() {
            let end = min(column, lines[row].count - 1)
            guard end >= 0 else { return }
            for index in 0...end { lines[row][index] = Cell(character: " ", style: 0) }
        }

        /// A parameter, or nil when empty; saturated so `ESC[99999999999999999999C` cannot overflow.
        private static func number(_ text: Substring) -> Int? {
            guard !text.isEmpty else { return nil }
            var value = 0
            for scalar in text.unicodeScalars {
                guard ("0"..."9").contains(scalar) else { return nil }
                value = min(value * 10 + Int(scalar.value - 48), 1_000_000)
            }
            return value
        }

        /// The lines as HTML, one `<span>` a run of cells in the same non-default style.
        func html() -> String {
            var html = ""
            let attributes = styles.map { style -> String in
                let (classes, inline) = style.attributes
                var text = ""
                if !classes.isEmpty { text += " class=\"\(classes.joined(separator: " "))\"" }
                if !inline.isEmpty { text += " style=\"\(inline)\"" }
                return text
            }
            for (number, line) in lines.enumerated() {
                if number > 0 { html += "\n" }
                var start = 0
                while start < line.count {
                    let style = line[start].style
                    var end = start
                    var run = ""
                    while end < line.count, line[end].style == style {
                        run.append(line[end].character)
                        end += 1
                    }
                    let escaped = HTML.escape(run)
                    html += attributes[style].isEmpty ? escaped : "<span\(attributes[style])>\(escaped)</span>"
                    start = end
                }
            }
            return html
        }
    }
}
