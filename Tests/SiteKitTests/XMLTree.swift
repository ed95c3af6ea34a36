import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// A parsed XML element, for checking SVG and XHTML-compatible output with Foundation's XMLParser.
final class XMLNode {
    let name: String
    let attributes: [String: String]
    var children: [XMLNode] = []
    var text = ""

    init(name: String, attributes: [String: String]) {
        self.name = name
        self.attributes = attributes
    }

    /// All descendants (depth first) named `name`.
    func all(_ name: String) -> [XMLNode] {
        children.flatMap { ($0.name == name ? [$0] : []) + $0.all(name) }
    }

    /// Every element in the tree, this one first.
    var everything: [XMLNode] { [self] + children.flatMap(\.everything) }

    /// Text of this element and its descendants.
    var allText: String { text + children.map(\.allText).joined() }

    subscript(attribute: String) -> String? { attributes[attribute] }

    struct ParseError: Error, CustomStringConvertible {
        var description: String
    }

    /// Parses `xml` or throws with the parser's message, line and column.
    static func parse(_ xml: String) throws -> XMLNode {
        let delegate = Builder()
        let parser = XMLParser(data: Data(xml.utf8))
        parser.delegate = delegate
        guard parser.parse(), let root = delegate.root else {
            throw ParseError(description: "XML parse failed at \(parser.lineNumber):\(parser.columnNumber): "
                + (parser.parserError.map { "\($0)" } ?? "no root element"))
        }
        return root
    }

    private final class Builder: NSObject, XMLParserDelegate {
        var stack: [XMLNode] = []
        var root: XMLNode?

        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                    qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
            let node = XMLNode(name: elementName, attributes: attributeDict)
            stack.last?.children.append(node)
            if stack.isEmpty { root = node }
            stack.append(node)
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
            stack.removeLast()
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            stack.last?.text += string
        }
    }
}
