import Foundation
import SiteKit

/// How the site folder on disk differs from a fresh render.
public struct SiteComparison: Sendable, Equatable {
    /// Files the render has and the folder lacks.
    public var missing: [String]
    /// Files in the folder that the render does not produce.
    public var extra: [String]
    /// Files whose bytes differ.
    public var different: [String]

    public var isUpToDate: Bool { missing.isEmpty && extra.isEmpty && different.isEmpty }

    /// Compares `files` with the regular files under `folder` (all sorted by path).
    public init(files: SiteFiles, folder: URL) {
        let onDisk = Self.regularFiles(under: folder)
        let rendered = Set(files.paths)
        missing = files.paths.filter { !onDisk.contains($0) }
        extra = onDisk.filter { !rendered.contains($0) }.sorted()
        different = files.paths.filter { path in
            guard onDisk.contains(path) else { return false }
            let data = FileManager.default.contents(atPath: folder.appendingPathComponent(path).path)
            return data.map { !$0.elementsEqual(files[path] ?? []) } ?? true
        }
    }

    /// Every problem as a sentence, e.g. "Site/03-data.html is out of date with Content/; run 'loopbook build'."
    public func problems(siteName: String) -> [String] {
        missing.map { "\(siteName)/\($0) is missing; run 'loopbook build'." }
            + different.map { "\(siteName)/\($0) is out of date with the chapters; run 'loopbook build'." }
            + extra.map { "\(siteName)/\($0) is not produced by the build; run 'loopbook build' to remove it." }
    }

    static func regularFiles(under folder: URL) -> Set<String> {
        guard let enumerator = FileManager.default.enumerator(atPath: folder.path) else { return [] }
        var result = Set<String>()
        while let relative = enumerator.nextObject() as? String {
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent(relative).path, isDirectory: &isFolder),
               !isFolder.boolValue {
                result.insert(relative)
            }
        }
        return result
    }
}
