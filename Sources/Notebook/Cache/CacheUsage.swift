import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// How much the result cache keeps (see `CacheUsage`).
public enum CacheLimits {
    /// Besides each chapter's latest result, the results used by this many recent builds are kept.
    public static let keptBuilds = 5
}

/// Which builds used which cache entries, so the cache stays bounded: `usage.json` in the cache folder.
///
/// Use is counted in builds, never by time or modification dates: every build (and check) that runs to
/// its end is one more build, and records the entries it loaded or stored. After recording, the cache keeps
/// the entry each chapter of the book used last, and every entry used by one of the last `keptBuilds`
/// builds (so undoing a recent edit is still cached); every other entry is removed. Entries the record
/// does not know yet (written by an older Loopbook) count as used by the current build.
struct CacheUsage: Codable, Equatable, Sendable {
    /// How many recent builds' entries are kept besides each chapter's latest entry.
    static let keptBuilds = CacheLimits.keptBuilds

    /// The number of the last build that recorded its use.
    var builds = 0
    /// Entry key → the number of the last build that used it.
    var lastUsed: [String: Int] = [:]
    /// Chapter slug → the key of the entry it used last.
    var latest: [String: String] = [:]

    /// Records one build that used `used` (slug → key) in a book whose chapters are `slugs`, given the
    /// entries on disk; returns the entries to remove, sorted.
    mutating func record(_ used: [String: String], slugs: Set<String>, onDisk: [String]) -> [String] {
        builds += 1
        for (slug, key) in used {
            lastUsed[key] = builds
            latest[slug] = key
        }
        latest = latest.filter { slugs.contains($0.key) }
        let protected = Set(latest.values)
        var removed: [String] = []
        for key in onDisk {
            guard let last = lastUsed[key] else {
                lastUsed[key] = builds
                continue
            }
            if !protected.contains(key), builds - last >= Self.keptBuilds { removed.append(key) }
        }
        let remaining = Set(onDisk).subtracting(removed)
        lastUsed = lastUsed.filter { remaining.contains($0.key) }
        return removed.sorted()
    }
}

/// A file's identity (device and inode), to notice that a folder was removed and made again.
struct FileIdentity: Equatable, Sendable {
    var device: UInt64
    var inode: UInt64

    /// The identity of the file at `url`, or nil when there is none.
    init?(_ url: URL) {
        var info = stat()
        guard stat(url.path, &info) == 0 else { return nil }
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
    }
}

extension ResultCache {
    private var usageFile: URL { directory.appendingPathComponent("usage.json") }

    /// True while the cache folder is the one whose lock this build holds: false when it was removed (by
    /// hand, or by a Loopbook too old to take the lock) while the build ran, so what a chapter wrote into
    /// its working folder there may be missing and its result must not be trusted or stored.
    var isIntact: Bool {
        guard let lockIdentity else { return true }
        return FileIdentity(lockFile) == lockIdentity
    }

    /// Records that a build used `used` (slug → key) and removes the entries `CacheUsage` no longer keeps,
    /// with the `chapters/<slug>.json` of chapters no longer in the book (call while holding the cache
    /// lock). Returns the removed keys. Does nothing when the cache folder was removed during the build.
    @discardableResult
    func recordUse(_ used: [String: String], slugs: Set<String>) -> [String] {
        guard isIntact else { return [] }
        let manager = FileManager.default
        var usage = (try? Data(contentsOf: usageFile)).flatMap { try? JSONDecoder().decode(CacheUsage.self, from: $0) }
            ?? CacheUsage()
        let onDisk = ((try? manager.contentsOfDirectory(atPath: resultsDirectory.path)) ?? []).filter { !$0.hasPrefix(".") }
        let removed = usage.record(used, slugs: slugs, onDisk: onDisk)
        for key in removed { try? manager.removeItem(at: resultsDirectory.appendingPathComponent(key)) }
        for name in (try? manager.contentsOfDirectory(atPath: chaptersDirectory.path)) ?? []
        where name.hasSuffix(".json") && !slugs.contains(String(name.dropLast(5))) {
            try? manager.removeItem(at: chaptersDirectory.appendingPathComponent(name))
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        if let data = try? encoder.encode(usage) { try? AtomicFile.write(data, to: usageFile) }
        return removed
    }
}
