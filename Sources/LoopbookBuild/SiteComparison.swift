import Foundation
import SiteKit
#if canImport(Glibc)
import Glibc
#endif

/// How the site folder on disk differs from a fresh render.
public struct SiteComparison: Sendable, Equatable {
    /// Files the render has and the folder lacks.
    public var missing: [String]
    /// Files in the folder that the render does not produce.
    public var extra: [String]
    /// Files whose bytes differ.
    public var different: [String]
    /// Files with the right bytes that not everyone may read, as a build leaves them (say after `chmod 000`).
    public var unreadable: [String] = []

    public var isUpToDate: Bool { missing.isEmpty && extra.isEmpty && different.isEmpty && unreadable.isEmpty }

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
        let differing = Set(different)
        unreadable = files.paths.filter { path in
            guard onDisk.contains(path), !differing.contains(path) else { return false }
            var info = stat()
            return lstat(folder.appendingPathComponent(path).path, &info) == 0
                && !Publisher.hasPublishedReadBits(UInt32(info.st_mode))
        }
    }

    /// Every problem as a sentence, e.g. "Site/03-data.html is out of date with Content/; run 'loopbook build'."
    public func problems(siteName: String) -> [String] {
        missing.map { "\(siteName)/\($0) is missing; run 'loopbook build'." }
            + different.map { "\(siteName)/\($0) is out of date with the chapters; run 'loopbook build'." }
            + unreadable.map { "\(siteName)/\($0) has the right contents but not everyone may read it (its permissions were changed); run 'loopbook build' to publish it again." }
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
