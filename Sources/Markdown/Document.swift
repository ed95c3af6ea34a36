import CCmarkGFM
#if canImport(Glibc)
import Glibc
#endif

extension Markdown {
    /// A place in the source: 1-based line and 1-based column, counted in UTF-8 bytes as cmark does.
    public struct Position: Sendable, Equatable, Hashable, Comparable {
        public var line: Int
        public var column: Int
        public init(line: Int, column: Int) { self.line = line; self.column = column }
        public static func < (a: Position, b: Position) -> Bool { (a.line, a.column) < (b.line, b.column) }
    }

    /// A fenced code block anywhere in a document (top level, in a list item, a block quote, ...).
    public struct FencedCode: Sendable, Equatable {
        /// The info string, e.g. "swift hidden".
        public var info: String
        /// The code, without the fences and without the container's indentation.
        public var code: String
        /// The opening fence.
        public var start: Position
        public var endLine: Int
    }

    /// Every fenced code block of `source` at any depth, in document order.
    public static func fencedCodeBlocks(in source: String) -> [FencedCode] {
        outline(of: source).fencedCode
    }

    /// What a chapter's loader needs from its Markdown, found in one parse.
    public struct Outline: Sendable, Equatable {
        /// Every fenced code block at any depth (list items, block quotes, footnotes, ...), in document order.
        public var fencedCode: [FencedCode]
        /// Every heading at any depth (never inside code), in document order.
        public var headings: [SourceHeading]
    }

    /// The fenced code blocks and headings of `source`, from one parse that walks blocks only (never the
    /// inline content of paragraphs), without recursion.
    public static func outline(of source: String) -> Outline {
        withDocument(source) { document in
            var outline = Outline(fencedCode: [], headings: [])
            document.root.forEachBlock { node in
                switch node.kind {
                case .codeBlock:
                    if let info = node.fenceInfo {
                        outline.fencedCode.append(FencedCode(info: info, code: node.literal ?? "", start: node.start,
                                                             endLine: node.end.line))
                    }
                case .heading:
                    outline.headings.append(SourceHeading(level: node.headingLevel, text: node.plainText,
                                                          line: node.start.line))
                default:
                    break
                }
            }
            return outline
        }
    }

    /// Parses `source` (GFM with footnotes) and calls `body` with the document; the document and every node
    /// are valid only inside `body`. Documents are parsed one at a time: cmark-gfm's inline extensions share
    /// global state.
    public static func withDocument<T, Failure: Error>(_ source: String, consolidatingText: Bool = true,
                                                       _ body: (Document) throws(Failure) -> T) throws(Failure) -> T
    {
        try withParsed(source) { (root: OpaquePointer, parser: OpaquePointer) throws(Failure) -> T in
            // Adjacent text nodes (cmark splits text at `[`, `!`, `_`, ...) become one, so `{{ a_b }}` is one text.
            if consolidatingText { cmark_consolidate_text_nodes(root) }
            return try body(Document(root: Node(root), parser: parser))
        }
    }

    /// A parsed document. Walk it with `nodes()`, change it through `Node`, then `html()` renders it.
    public struct Document {
        public let root: Node
        let parser: OpaquePointer

        /// Every node, in document order (a node before its children), found without recursion.
        public func nodes() -> [Node] {
            root.descendants()
        }

        /// The headings at any depth, in document order, found by walking blocks only (never into
        /// paragraphs' inline content) and without recursion.
        public func headings() -> [Node] {
            var result: [Node] = []
            root.forEachBlock { if $0.kind == .heading { result.append($0) } }
            return result
        }

        /// The first block quote or list that sits inside more than `limit` others, if any (found in one pass).
        public func nodeNestedDeeperThan(_ limit: Int) -> Node? {
            guard let iterator = cmark_iter_new(root.pointer) else { return nil }
            defer { cmark_iter_free(iterator) }
            var depth = 0
            while case let event = cmark_iter_next(iterator), event != CMARK_EVENT_DONE {
                guard let node = cmark_iter_get_node(iterator) else { continue }
                let type = cmark_node_get_type(node)
                guard type == CMARK_NODE_BLOCK_QUOTE || type == CMARK_NODE_LIST else { continue }
                if event == CMARK_EVENT_ENTER {
                    depth += 1
                    if depth > limit { return Node(node) }
                } else if event == CMARK_EVENT_EXIT {
                    depth -= 1
                }
            }
            return nil
        }

        /// The HTML of the document as it stands now (raw HTML blocks are kept; see `Markdown`).
        public func html() -> String {
            guard let rendered = cmark_render_html(root.pointer, Markdown.options,
                                                   cmark_parser_get_syntax_extensions(parser)) else { return "" }
            defer { free(rendered) }
            return String(decoding: UnsafeRawBufferPointer(start: rendered, count: strlen(rendered)), as: UTF8.self)
        }
    }

    /// One node of a parsed document (a handle; valid while its document is).
    public struct Node: Hashable {
        let pointer: OpaquePointer
        init(_ pointer: OpaquePointer) { self.pointer = pointer }

        public enum Kind: Sendable, Equatable {
            case document, blockQuote, list, item, codeBlock, htmlBlock, customBlock, paragraph, heading,
                 thematicBreak, footnoteDefinition, table, tableRow, tableCell
            case text, softBreak, lineBreak, code, htmlInline, customInline, emphasis, strong, link, image,
                 footnoteReference, strikethrough
            case other
        }

        public var kind: Kind {
            switch cmark_node_get_type(pointer) {
            case CMARK_NODE_DOCUMENT: .document
            case CMARK_NODE_BLOCK_QUOTE: .blockQuote
            case CMARK_NODE_LIST: .list
            case CMARK_NODE_ITEM: .item
            case CMARK_NODE_CODE_BLOCK: .codeBlock
            case CMARK_NODE_HTML_BLOCK: .htmlBlock
            case CMARK_NODE_CUSTOM_BLOCK: .customBlock
            case CMARK_NODE_PARAGRAPH: .paragraph
            case CMARK_NODE_HEADING: .heading
            case CMARK_NODE_THEMATIC_BREAK: .thematicBreak
            case CMARK_NODE_FOOTNOTE_DEFINITION: .footnoteDefinition
            case CMARK_NODE_TEXT: .text
            case CMARK_NODE_SOFTBREAK: .softBreak
            case CMARK_NODE_LINEBREAK: .lineBreak
            case CMARK_NODE_CODE: .code
            case CMARK_NODE_HTML_INLINE: .htmlInline
            case CMARK_NODE_CUSTOM_INLINE: .customInline
            case CMARK_NODE_EMPH: .emphasis
            case CMARK_NODE_STRONG: .strong
            case CMARK_NODE_LINK: .link
            case CMARK_NODE_IMAGE: .image
            case CMARK_NODE_FOOTNOTE_REFERENCE: .footnoteReference
            default:
                switch cmark_node_get_type_string(pointer).map({ String(cString: $0) }) {
                case "table": .table
                case "table_row", "table_header": .tableRow
                case "table_cell": .tableCell
                case "strikethrough": .strikethrough
                default: .other
                }
            }
        }

        public var start: Position {
            Position(line: Int(cmark_node_get_start_line(pointer)), column: Int(cmark_node_get_start_column(pointer)))
        }
        public var end: Position {
            Position(line: Int(cmark_node_get_end_line(pointer)), column: Int(cmark_node_get_end_column(pointer)))
        }

        /// Text of a text, code, code block or HTML node.
        public var literal: String? {
            get { cmark_node_get_literal(pointer).map { String(cString: $0) } }
            nonmutating set { cmark_node_set_literal(pointer, newValue ?? "") }
        }
        /// The destination of a link or image.
        public var url: String? {
            get { cmark_node_get_url(pointer).map { String(cString: $0) } }
            nonmutating set { cmark_node_set_url(pointer, newValue ?? "") }
        }
        /// The title of a link or image.
        public var title: String? {
            get { cmark_node_get_title(pointer).map { String(cString: $0) } }
            nonmutating set { cmark_node_set_title(pointer, newValue ?? "") }
        }
        /// The info string of a fenced code block; nil for an indented one or any other node.
        public var fenceInfo: String? {
            guard cmark_node_get_type(pointer) == CMARK_NODE_CODE_BLOCK else { return nil }
            var length: Int32 = 0, offset: Int32 = 0
            var character: CChar = 0  // cmark_node_get_fenced writes through all three pointers
            guard cmark_node_get_fenced(pointer, &length, &offset, &character) != 0 else { return nil }
            return cmark_node_get_fence_info(pointer).map { String(cString: $0) } ?? ""
        }
        public var headingLevel: Int { Int(cmark_node_get_heading_level(pointer)) }

        public var parent: Node? { cmark_node_parent(pointer).map(Node.init) }
        public var firstChild: Node? { cmark_node_first_child(pointer).map(Node.init) }
        public var next: Node? { cmark_node_next(pointer).map(Node.init) }
        public var previous: Node? { cmark_node_previous(pointer).map(Node.init) }

        /// This node and everything below it, in document order, without recursion.
        public func descendants() -> [Node] {
            var result: [Node] = []
            guard let iterator = cmark_iter_new(pointer) else { return result }
            defer { cmark_iter_free(iterator) }
            while case let event = cmark_iter_next(iterator), event != CMARK_EVENT_DONE {
                if event == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iterator) { result.append(Node(node)) }
            }
            return result
        }

        /// The text a reader sees in this node (text and code spans; breaks as spaces).
        /// Calls `body` with every block below this node in document order (a container before its
        /// children): leaf blocks (paragraphs, headings, code, HTML, ...) and the containers holding them,
        /// never inline content. Walks without recursion.
        public func forEachBlock(_ body: (Node) -> Void) {
            var stack: [OpaquePointer] = []
            var next = cmark_node_first_child(pointer)
            while true {
                guard let node = next else {
                    guard let parent = stack.popLast() else { break }
                    next = cmark_node_next(parent)
                    continue
                }
                body(Node(node))
                let type = cmark_node_get_type(node)
                if type == CMARK_NODE_BLOCK_QUOTE || type == CMARK_NODE_LIST || type == CMARK_NODE_ITEM
                    || type == CMARK_NODE_CUSTOM_BLOCK || type == CMARK_NODE_FOOTNOTE_DEFINITION,
                   let child = cmark_node_first_child(node) {
                    stack.append(node)
                    next = child
                    continue
                }
                next = cmark_node_next(node)
            }
        }

        public var plainText: String {
            var text = ""
            for node in descendants() {
                switch node.kind {
                case .text, .code: text += node.literal ?? ""
                case .softBreak, .lineBreak: text += " "
                default: break
                }
            }
            return text
        }

        /// How many block quotes, lists and items hold this node.
        public var containerDepth: Int {
            var depth = 0
            var node = parent
            while let current = node {
                if [.blockQuote, .list, .item].contains(current.kind) { depth += 1 }
                node = current.parent
            }
            return depth
        }

        /// Replaces this node (and its children) with HTML the tool made; returns the new node. (A custom
        /// block, not an HTML block: the tagfilter, which guards authors' raw HTML, must not touch it.)
        @discardableResult
        public func replace(withHTMLBlock html: String) -> Node {
            let block = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK)!
            cmark_node_set_on_enter(block, html)
            cmark_node_replace(pointer, block)
            cmark_node_free(pointer)
            return Node(block)
        }

        /// Puts raw HTML at the start of this node's content (e.g. an anchor inside a heading).
        public func prependHTMLInline(_ html: String) {
            let inline = cmark_node_new(CMARK_NODE_HTML_INLINE)!
            cmark_node_set_literal(inline, html)
            cmark_node_prepend_child(pointer, inline)
        }

        /// Puts a text node right after this inline node; returns it (cmark escapes its text).
        @discardableResult
        public func insertText(after text: String) -> Node {
            let inline = cmark_node_new(CMARK_NODE_TEXT)!
            cmark_node_set_literal(inline, text)
            cmark_node_insert_after(pointer, inline)
            return Node(inline)
        }

        /// Puts raw HTML the tool made right after this inline node; returns it.
        @discardableResult
        public func insertHTMLInline(after html: String) -> Node {
            let inline = cmark_node_new(CMARK_NODE_HTML_INLINE)!
            cmark_node_set_literal(inline, html)
            cmark_node_insert_after(pointer, inline)
            return Node(inline)
        }

        /// Wraps this block in raw HTML: `before`, the node as rendered, `after`.
        public func wrap(before: String, after: String) {
            let wrapper = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK)!
            cmark_node_set_on_enter(wrapper, before)
            cmark_node_set_on_exit(wrapper, after)
            cmark_node_insert_before(pointer, wrapper)
            cmark_node_unlink(pointer)
            cmark_node_append_child(wrapper, pointer)
        }

        /// Replaces this container by raw HTML around its children (e.g. a block quote by a callout box).
        public func replaceContainer(before: String, after: String) {
            let wrapper = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK)!
            cmark_node_set_on_enter(wrapper, before)
            cmark_node_set_on_exit(wrapper, after)
            cmark_node_insert_before(pointer, wrapper)
            while let child = cmark_node_first_child(pointer) {
                cmark_node_unlink(child)
                cmark_node_append_child(wrapper, child)
            }
            remove()
        }

        /// Takes this node (and its children) out of the document.
        public func remove() {
            cmark_node_unlink(pointer)
            cmark_node_free(pointer)
        }
    }
}
