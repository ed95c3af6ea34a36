import BookModel
import Foundation
import Synchronization
import Testing
@testable import SiteKit

/// The page cache: a build renders only the pages whose inputs changed, and the site is byte-for-byte what
/// rendering every page gives, whatever the cache holds.
@Suite struct PageCacheTests {
    /// A page cache in memory that counts what the renderer asks of it.
    final class Memory: PageCache {
        let state = Mutex<(entries: [String: [UInt8]], loads: Int, hits: Int, stores: Int)>(([:], 0, 0, 0))
        func load(_ key: String) -> [UInt8]? {
            state.withLock { state in
                state.loads += 1
                let bytes = state.entries[key]
                if bytes != nil { state.hits += 1 }
                return bytes
            }
        }
        func store(_ bytes: [UInt8], for key: String) {
            state.withLock { $0.stores += 1; $0.entries[key] = bytes }
        }
        /// Loads, hits and stores since the last call.
        func counts() -> (loads: Int, hits: Int, stores: Int) {
            state.withLock { state in
                defer { state.loads = 0; state.hits = 0; state.stores = 0 }
                return (state.loads, state.hits, state.stores)
            }
        }
        func damageEvery(_ change: ([UInt8]) -> [UInt8]) {
            state.withLock { state in
                for key in state.entries.keys { state.entries[key] = change(state.entries[key]!) }
            }
        }
    }

    static func book(_ edits: [Int: String] = [:], titles: [Int: String] = [:]) -> [ExecutedChapter] {
        (1...6).map { number in
            let slug = String(format: "%02d-part", number)
            var markdown = "# Part \(number)\n\nText of part \(number), with `code` and a [link](01-part.md#part-1).\n\n## Details\n\nMore.\n"
            if number > 1 { markdown += "\nSee [the details before](\(String(format: "%02d-part", number - 1)).md#details).\n" }
            if let edit = edits[number] { markdown = edit }
            return ChapterDocumentTests.chapter(markdown, slug: slug, number: number, title: titles[number] ?? "Part \(number)")
        }
    }

    static let renderer = SiteRenderer(book: BookInfo(title: "Course"))

    @Test func aCachedBuildIsByteIdenticalAndRendersNothing() throws {
        let cache = Memory()
        let plain = try Self.renderer.render(Self.book())
        let first = try Self.renderer.render(Self.book(), pageCache: cache)
        #expect(cache.counts() == (6, 0, 6))
        let second = try Self.renderer.render(Self.book(), pageCache: cache)
        #expect(cache.counts() == (6, 6, 0), "every page came from the cache")
        #expect(first == plain)
        #expect(second == plain)
    }

    @Test func anEditRendersOnlyThatPage() throws {
        let cache = Memory()
        _ = try Self.renderer.render(Self.book(), pageCache: cache)
        _ = cache.counts()
        let edited = Self.book([3: "# Part 3\n\nNew text.\n\n## Details\n\nMore.\n"])
        let files = try Self.renderer.render(edited, pageCache: cache)
        #expect(cache.counts() == (6, 5, 1))
        #expect(files == (try Self.renderer.render(edited)))
        #expect(files.text("search-index.js")?.contains("New text.") == true)
    }

    @Test func aNewTitleRendersTheNeighboursPagersToo() throws {
        let cache = Memory()
        _ = try Self.renderer.render(Self.book(), pageCache: cache)
        _ = cache.counts()
        let renamed = Self.book(titles: [3: "Part three"])
        let files = try Self.renderer.render(renamed, pageCache: cache)
        #expect(cache.counts() == (6, 3, 3), "pages 2, 3 and 4 show the title")
        #expect(files == (try Self.renderer.render(renamed)))
        #expect(files.text("02-part.html")?.contains("Part three") == true)
    }

    @Test func aCachedPageStillHasItsLinksChecked() throws {
        let cache = Memory()
        _ = try Self.renderer.render(Self.book(), pageCache: cache)
        // Part 2 loses the section part 3 links to; part 3's page is unchanged and comes from the cache.
        let edited = Self.book([2: "# Part 2\n\nNo sections any more.\n"])
        #expect(throws: SiteError.self) { try Self.renderer.render(edited, pageCache: cache) }
        var message = ""
        do { _ = try Self.renderer.render(edited, pageCache: cache) } catch { message = error.description }
        #expect(message.contains("Content/03-part.md:9:5"), "\(message)")
        #expect(message.contains("'#details', which 02-part.md does not have (its sections are #part-2)"), "\(message)")
    }

    @Test func aPageWithAProblemIsNeverCached() throws {
        let cache = Memory()
        let broken = Self.book([4: "# Part 4\n\nSee [nowhere](99-none.md).\n"])
        #expect(throws: SiteError.self) { try Self.renderer.render(broken, pageCache: cache) }
        #expect(cache.counts().stores == 5)
        #expect(throws: SiteError.self) { try Self.renderer.render(broken, pageCache: cache) }
    }

    @Test(arguments: ["truncated", "header", "fields", "empty", "flipped", "swapped"])
    func aDamagedEntryIsRenderedAgain(_ damage: String) throws {
        let cache = Memory()
        let plain = try Self.renderer.render(Self.book())
        _ = try Self.renderer.render(Self.book(), pageCache: cache)
        if damage == "swapped" {
            // Every entry replaced by the next one's: each is whole, but stored under another key.
            cache.state.withLock { state in
                let keys = state.entries.keys.sorted()
                let values = keys.map { state.entries[$0]! }
                for (index, key) in keys.enumerated() { state.entries[key] = values[(index + 1) % values.count] }
            }
        } else { cache.damageEvery { bytes in
            switch damage {
            case "truncated": Array(bytes.dropLast(3))
            case "header": Array("loopbook-page 1 x".utf8) + bytes
            case "fields": bytes.prefix { $0 != 0x0A } + [0x0A] + Array(repeating: UInt8(ascii: "9"), count: bytes.count - bytes.prefix { $0 != 0x0A }.count - 1)
            case "flipped": bytes.enumerated().map { $0.offset == bytes.count - 10 ? $0.element ^ 1 : $0.element }
            default: []
            }
        } }
        _ = cache.counts()
        #expect(try Self.renderer.render(Self.book(), pageCache: cache) == plain)
        #expect(cache.counts().stores == 6, "every damaged entry was rendered and stored again")
    }

    @Test func theKeyCoversEveryPropertyOfAChapter() {
        // PageKey.hashChapter lists the properties by hand: a new one must be added there (and counted here).
        #expect(Mirror(reflecting: Chapter(path: "", slug: "", number: 1, title: "", markdown: "", steps: [])).children.count == 11)
        #expect(Mirror(reflecting: Step(index: 1, line: 1, code: "", flags: StepFlags())).children.count == 5)
        #expect(Mirror(reflecting: StepFlags()).children.count == 6)
        #expect(Mirror(reflecting: ChapterLimits()).children.count == 3)
        // CachedPage.Reference copies a link's Diagnostic field by field (severity, file, line, column,
        // message; `output` is always nil for links): a new field must be kept there too.
        #expect(Mirror(reflecting: Diagnostic(file: "", line: 1, message: "")).children.count == 6)
    }

    @Test func everyChapterPropertyChangesTheKey() {
        let site = PageKey.Site(book: BookInfo(title: "Course"), chapterFiles: [:], assets: [])
        let base = Self.book()[1]
        func key(_ change: (inout ExecutedChapter) -> Void) -> String {
            var executed = base
            change(&executed)
            return PageKey.key(site: site, chapter: executed, previous: nil, next: nil)
        }
        var keys: Set<String> = [key { _ in }]
        let changes: [(inout ExecutedChapter) -> Void] = [
            { $0.chapter.path += "x" }, { $0.chapter.slug += "x" }, { $0.chapter.number += 1 }, { $0.chapter.title += "x" },
            { $0.chapter.titleLine = 7 }, { $0.chapter.summary = "" }, { $0.chapter.timeout += 1 },
            { $0.chapter.limits.memory += 1 }, { $0.chapter.markdown += " " }, { $0.chapter.dependsOn = ["01-part"] },
            { $0.chapter.steps = [Step(index: 1, line: 3, code: "", flags: StepFlags())] },
            // Folding changes only the page, so it is in this key (and not in the result cache's).
            { $0.chapter.steps = [Step(index: 1, line: 3, code: "", flags: StepFlags(fold: true))] },
            { $0.chapter.steps = [Step(index: 1, line: 3, code: "", flags: StepFlags(fold: false))] },
            { $0.result.values = ["a": "1"] },
        ]
        for change in changes { keys.insert(key(change)) }
        #expect(keys.count == changes.count + 1)
    }

    @Test func theBookWideFoldDefaultChangesTheKey() {
        let executed = Self.book()[1]
        func key(_ info: BookInfo) -> String {
            PageKey.key(site: PageKey.Site(book: info, chapterFiles: [:], assets: []), chapter: executed, previous: nil, next: nil)
        }
        #expect(key(BookInfo(title: "Course")) != key(BookInfo(title: "Course", codeFold: true)))
    }

    @Test(arguments: ["plain", "quote \" and \\ backslash", "controls \u{0}\u{1}\u{8}\u{9}\u{A}\u{C}\u{D}\u{1F}",
                      "separators \u{2028} \u{2029} and \u{2027}", "é, e\u{301}, \"\u{301}, 👩‍👩‍👧, 中文, עִבְרִית", "</script>"])
    func searchStringsAreValidJSONForAnyText(_ text: String) throws {
        var bytes: [UInt8] = []
        JSON.append(text, to: &bytes)
        let decoded = try JSONSerialization.jsonObject(with: Data(bytes), options: .fragmentsAllowed) as? String
        #expect(decoded == text)
        #expect(!bytes.contains(0x0A) && !bytes.contains(0x0D))
        #expect(!String(decoding: bytes, as: UTF8.self).contains("\u{2028}"))
    }
}
