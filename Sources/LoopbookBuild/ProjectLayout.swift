import Foundation

/// The folders of a project, as absolute URLs.
public struct ProjectLayout: Sendable, Equatable {
    public var root: URL
    public var content: URL
    public var output: URL

    public init(root: URL, content: URL? = nil, output: URL? = nil) {
        self.root = root.standardizedFileURL
        self.content = (content ?? root.appendingPathComponent("Content")).standardizedFileURL
        self.output = (output ?? root.appendingPathComponent("Site")).standardizedFileURL
    }

    /// `.loopbook/` beside Content/: the cache and the last build report.
    public var stateDirectory: URL { root.appendingPathComponent(".loopbook") }
    public var cacheDirectory: URL { stateDirectory.appendingPathComponent("cache") }
    public var buildReport: URL { stateDirectory.appendingPathComponent("last-build.json") }

    /// `url` relative to the root when inside it (for messages), else its absolute path.
    public func display(_ url: URL) -> String {
        let rootPath = root.path.hasSuffix("/") ? root.path : root.path + "/"
        let path = url.standardizedFileURL.path
        if path == root.path { return "." }
        return path.hasPrefix(rootPath) ? String(path.dropFirst(rootPath.count)) : path
    }
}
