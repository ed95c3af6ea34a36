import Foundation
import Testing
@testable import Notebook

/// The result cache stays bounded: each chapter's latest entry, and the entries of the last few builds.
@Suite struct CacheUsageTests {
    @Test func entriesOfOldBuildsGoButEachChaptersLatestStays() {
        var usage = CacheUsage()
        var onDisk: [String] = []
        var removed: [[String]] = []
        // Chapter a never changes; chapter b changes every build.
        for build in 1...(CacheUsage.keptBuilds + 2) {
            onDisk.append("b\(build)")
            if build == 1 { onDisk.append("a") }
            let gone = usage.record(["a": "a", "b": "b\(build)"], slugs: ["a", "b"], onDisk: onDisk)
            onDisk.removeAll { gone.contains($0) }
            removed.append(gone)
        }
        #expect(removed == [[], [], [], [], [], ["b1"], ["b2"]])
        #expect(onDisk == ["a", "b3", "b4", "b5", "b6", "b7"])
        #expect(usage.builds == 7)
        #expect(usage.latest == ["a": "a", "b": "b7"])
    }

    @Test func aChaptersLatestEntryStaysWhileOnlyOthersAreBuilt() {
        var usage = CacheUsage()
        _ = usage.record(["a": "a1", "b": "b1"], slugs: ["a", "b"], onDisk: ["a1", "b1"])
        var onDisk = ["a1", "b1"]
        for build in 2...12 {
            onDisk.append("b\(build)")
            let gone = usage.record(["b": "b\(build)"], slugs: ["a", "b"], onDisk: onDisk)
            onDisk.removeAll { gone.contains($0) }
        }
        #expect(onDisk.contains("a1"))
        #expect(onDisk.count == 1 + CacheUsage.keptBuilds)
    }

    @Test func aRemovedChapterAgesOutAndUnknownEntriesGetAGracePeriod() {
        var usage = CacheUsage()
        _ = usage.record(["a": "a1", "gone": "g1"], slugs: ["a", "gone"], onDisk: ["a1", "g1", "old"])
        var onDisk = ["a1", "g1", "old"]
        var removedAt: [String: Int] = [:]
        for build in 2...8 {
            let gone = usage.record(["a": "a1"], slugs: ["a"], onDisk: onDisk)
            for key in gone { removedAt[key] = build }
            onDisk.removeAll { gone.contains($0) }
        }
        // Both were last used (or first seen) by build 1, so they go at build 1 + keptBuilds.
        #expect(removedAt == ["g1": 1 + CacheUsage.keptBuilds, "old": 1 + CacheUsage.keptBuilds])
        #expect(onDisk == ["a1"])
        #expect(usage.lastUsed.keys.sorted() == ["a1"])
    }
}
