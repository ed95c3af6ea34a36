/// HTML the site writes, as a tree whose text is escaped by construction (as Plot does): `.text` and
/// attribute values are always escaped, so markup from data needs the explicit `.raw`, which is kept for
/// markup another writer already made safe (cmark's, the highlighter's, the chart writer's SVG).
///
/// ```swift
/// Node.element("p", ["class": "download"], [.text(name), .raw(link)]).html
/// ```
indirect enum Node: Sendable, Equatable {
    /// An element with attributes (in the order given) and children; `void` elements (`img`, `br`) have none.
    case element(String, [(String, String)], [Node])
    case text(String)
    case raw(String)
    case group([Node])

    static func == (a: Node, b: Node) -> Bool { a.html == b.html }

    static let voidElements: Set<String> = ["img", "br", "hr", "input", "meta", "link", "source", "wbr"]

    static func element(_ name: String, _ attributes: KeyValuePairs<String, String> = [:], _ children: [Node] = []) -> Node {
        .element(name, attributes.map { ($0.key, $0.value) }, children)
    }

    /// The node as HTML.
    var html: String {
        var output = ""
        write(to: &output)
        return output
    }

    func write(to output: inout String) {
        switch self {
        case let .element(name, attributes, children):
            output += "<" + name
            for (attribute, value) in attributes {
                output += " " + attribute + "=\"" + HTML.escape(value) + "\""
            }
            output += ">"
            guard !Self.voidElements.contains(name) else { return }
            for child in children { child.write(to: &output) }
            output += "</" + name + ">"
        case let .text(text):
            output += HTML.escape(text)
        case let .raw(markup):
            output += markup
        case let .group(nodes):
            for node in nodes { node.write(to: &output) }
        }
    }
}

extension Node {
    /// A line break in the source (between block elements, as cmark writes them).
    static let newline = Node.raw("\n")
}
