import BookModel
import Yams

/// Reads YAML front matter (and book.yml) with Yams, turning every problem into an error at file:line.
struct YAMLMapping {
    /// One `key: value` entry with the file line of its key.
    struct Entry {
        var key: String
        var value: Node
        var line: Int
    }

    var entries: [Entry]

    /// Parses `yaml`, whose first line is line `firstLine` of `path`. Empty YAML is an empty mapping.
    init(yaml: String, path: String, firstLine: Int) throws {
        let node: Node?
        do {
            node = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw Self.located(error, path: path, firstLine: firstLine)
        } catch {
            throw NotebookError.frontMatter(path: path, line: firstLine, message: "the YAML could not be read: \(error).")
        }
        guard let node else { entries = []; return }
        guard let mapping = node.mapping else {
            throw NotebookError.frontMatter(path: path, line: Self.line(of: node, firstLine: firstLine),
                                            message: "front matter must be a mapping of keys to values, like 'title: Data'.")
        }
        entries = mapping.map { pair in
            Entry(key: pair.key.string ?? "", value: pair.value, line: Self.line(of: pair.key, firstLine: firstLine))
        }
    }

    static func line(of node: Node, firstLine: Int) -> Int {
        (node.mark?.line ?? 1) - 1 + firstLine
    }

    private static func located(_ error: YamlError, path: String, firstLine: Int) -> NotebookError {
        switch error {
        case let .scanner(context, problem, mark, yaml), let .parser(context, problem, mark, yaml),
             let .composer(context, problem, mark, yaml):
            let problemLine = mark.line - 1 + firstLine
            guard let context else {
                return .frontMatter(path: path, line: problemLine, message: "invalid YAML: \(problem).")
            }
            // A construct left open (`[a, b` or `"text`) is only noticed where the YAML ends; then the line
            // where it starts is the one to fix.
            let contextLine = context.mark.line - 1 + firstLine
            let yamlLines = yaml.split(separator: "\n", omittingEmptySubsequences: false).count
            let atEnd = mark.line > yamlLines || (mark.line == yamlLines && yaml.hasSuffix("\n"))
            let line = atEnd && contextLine < problemLine ? contextLine : problemLine
            let start = contextLine == line ? "" : " that starts on line \(contextLine)"
            return .frontMatter(path: path, line: line, message: "invalid YAML: \(problem) \(context.text)\(start).")
        default:
            return .frontMatter(path: path, line: firstLine, message: "invalid YAML: \(error).")
        }
    }

    /// The value as a string, or an error naming the key.
    static func string(_ entry: Entry, path: String) throws -> String {
        guard entry.value.scalar != nil, let text = entry.value.string else {
            throw NotebookError.frontMatter(path: path, line: entry.line, message: "'\(entry.key)' must be text.")
        }
        return text
    }
}

/// What a chapter's front matter says.
struct ChapterFrontMatter {
    static let keys = ["title", "summary", "timeout", "depends-on"]

    var title: String?
    var summary: String?
    var timeout: Double?
    /// Slugs with the line each was given on.
    var dependsOn: [(slug: String, line: Int)] = []

    init(yaml: String, path: String, firstLine: Int) throws {
        for entry in try YAMLMapping(yaml: yaml, path: path, firstLine: firstLine).entries {
            switch entry.key {
            case "title": title = try YAMLMapping.string(entry, path: path)
            case "summary": summary = try YAMLMapping.string(entry, path: path)
            case "timeout":
                guard let seconds = entry.value.float, seconds > 0, seconds.isFinite else {
                    throw NotebookError.frontMatter(path: path, line: entry.line,
                                                    message: "'timeout' must be a positive number of seconds, e.g. 'timeout: 120'.")
                }
                timeout = seconds
            case "depends-on":
                let items = entry.value.sequence.map(Array.init) ?? [entry.value]
                for item in items {
                    guard item.scalar != nil, var slug = item.string, !slug.isEmpty else {
                        throw NotebookError.frontMatter(path: path, line: entry.line,
                                                        message: "'depends-on' must list chapter slugs, e.g. 'depends-on: [03-data]'.")
                    }
                    if slug.hasSuffix(".md") { slug.removeLast(3) }
                    dependsOn.append((slug, YAMLMapping.line(of: item, firstLine: firstLine)))
                }
            default:
                throw NotebookError.frontMatter(path: path, line: entry.line,
                                                message: "unknown front matter key '\(entry.key)'; expected one of \(Self.keys.joined(separator: ", ")).")
            }
        }
    }
}

/// What `Content/book.yml` says.
struct BookFile {
    static let keys = ["title", "subtitle", "description", "author"]

    var title: String?
    var subtitle: String?
    var author: String?

    init(yaml: String, path: String) throws {
        for entry in try YAMLMapping(yaml: yaml, path: path, firstLine: 1).entries {
            switch entry.key {
            case "title": title = try YAMLMapping.string(entry, path: path)
            case "subtitle", "description": subtitle = try YAMLMapping.string(entry, path: path)
            case "author": author = try YAMLMapping.string(entry, path: path)
            default:
                throw NotebookError.frontMatter(path: path, line: entry.line,
                                                message: "unknown key '\(entry.key)' in book.yml; expected one of \(Self.keys.joined(separator: ", ")).")
            }
        }
    }
}
