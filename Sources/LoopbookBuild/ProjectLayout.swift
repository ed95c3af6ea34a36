import BookModel
import Foundation
import SiteKit

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
    /// `.loopbook/published-site`: the chapter pages the last build published, by digest and file identity,
    /// so the next build leaves unchanged ones in place unread (see `PageStore`).
    public var publishedRecord: URL { publishedRecord(for: .student) }

    /// The record of `edition`'s site: `published-site`, or `published-site-teacher` for the teacher edition,
    /// so building one edition leaves the other's record (and its pages unread next time) intact.
    public func publishedRecord(for edition: Edition) -> URL {
        stateDirectory.appendingPathComponent("published-site" + Self.editionSuffix(edition))
    }

    /// The name of `edition`'s page cache folder in the cache: `pages`, or `pages-teacher`. Each edition's
    /// build prunes only its own folder, so alternating editions reuses both.
    public static func pageCacheName(for edition: Edition) -> String { "pages" + editionSuffix(edition) }

    private static func editionSuffix(_ edition: Edition) -> String {
        edition == .student ? "" : "-" + edition.rawValue
    }

    /// `url` relative to the root when inside it (for messages), else its absolute path.
    public func display(_ url: URL) -> String {
        let rootPath = root.path.hasSuffix("/") ? root.path : root.path + "/"
        let path = url.standardizedFileURL.path
        if path == root.path { return "." }
        return path.hasPrefix(rootPath) ? String(path.dropFirst(rootPath.count)) : path
    }

    /// A folder as `display` shows it, ending in one `/` ("Site/", "/", "../out/").
    public func displayFolder(_ url: URL) -> String {
        let shown = display(url)
        return shown.hasSuffix("/") ? shown : shown + "/"
    }
}

extension ProjectLayout {
    /// Why the site must not be published to the output folder, as a full sentence; nil when it may.
    ///
    /// Publishing replaces the output folder's whole contents, so it must not be (or contain, or lie
    /// inside) the project folder, the chapters folder or the build state and cache folders, and an
    /// existing folder must be empty or a site Loopbook wrote (`Publisher.state(of:)`). Paths are compared
    /// after resolving symbolic links, so `--output link-to-Content` is refused like `--output Content`.
    public func outputProblem(cacheDirectory: URL? = nil) -> String? {
        let output = Self.resolved(self.output)
        let shown = "The output folder '\(display(self.output))'"
        let fix = "Choose a folder of its own for the site with --output (the default is Site)."
        let root = Self.resolved(self.root)
        if output == root {
            return "\(shown) is the project folder itself; publishing the site there would delete the chapters and everything else in it. \(fix)"
        }
        if Self.path(root, isInside: output) {
            return "\(shown) contains the project folder; publishing the site there would delete the whole book and everything beside it. \(fix)"
        }
        var protected = [(Self.resolved(content), display(content), "the chapters folder", "the chapters"),
                         (Self.resolved(stateDirectory), display(stateDirectory), "the build state folder", "the cache and the build state")]
        if let cacheDirectory {
            protected.append((Self.resolved(cacheDirectory), display(cacheDirectory), "the cache folder", "the cache"))
        }
        for (path, name, what, contents) in protected {
            if output == path {
                return "\(shown) is \(what); publishing the site there would delete \(contents). \(fix)"
            }
            if Self.path(path, isInside: output) {
                return "\(shown) contains \(what) '\(name)'; publishing the site there would delete \(contents). \(fix)"
            }
            if Self.path(output, isInside: path) {
                return "\(shown) is inside \(what) '\(name)', where the site's files would be mixed with \(contents). \(fix)"
            }
        }
        // The folder as the publisher will see it: a symbolic link in place of the folder is not one.
        switch Publisher.state(of: self.output) {
        case .missing, .empty, .site:
            return nil
        case .foreign:
            return "\(shown) already holds files that Loopbook did not write (there is no \(Publisher.markerName) file in it); publishing the site there would delete them. Choose a new or empty folder with --output, or move those files away first."
        case .notAFolder:
            return "\(shown) exists and is not a folder; publishing the site there would delete it. Choose a new or empty folder with --output, or remove it first."
        }
    }

    /// `url`'s path with every symbolic link resolved, for the part of it that exists (the rest, which
    /// cannot hold links, is appended as it is).
    static func resolved(_ url: URL) -> String {
        var existing = url.standardizedFileURL.path
        var missing: [String] = []
        while true {
            if let real = realpath(existing, nil) {
                defer { free(real) }
                let base = String(cString: real)
                let tail = missing.reversed().joined(separator: "/")
                if tail.isEmpty { return base }
                return base == "/" ? "/" + tail : base + "/" + tail
            }
            let parent = (existing as NSString).deletingLastPathComponent
            if parent == existing || parent.isEmpty { return url.standardizedFileURL.path }
            missing.append((existing as NSString).lastPathComponent)
            existing = parent
        }
    }

    /// True when `path` is `folder` or lies below it (both resolved).
    static func path(_ path: String, isInside folder: String) -> Bool {
        path == folder || path.hasPrefix(folder == "/" ? "/" : folder + "/")
    }
}
