import BookModel
/// Byte-wise substring search over UTF-8 (exact match, no Unicode folding).
///
/// Foundation's `range(of:)` goes through CFString on Linux and dominated rendering time; the needles
/// here are ASCII markup, so a plain byte search is both correct and much faster.
extension StringProtocol {
    /// The first occurrence of `needle` at or after `start`.
    func byteRange(of needle: String, from start: Index? = nil) -> Range<Index>? {
        let pattern = Array(needle.utf8)
        guard let first = pattern.first else { return nil }
        let bytes = utf8
        var position = start ?? bytes.startIndex
        while position < bytes.endIndex, let candidate = bytes[position...].firstIndex(of: first) {
            var cursor = candidate
            var matched = 0
            while matched < pattern.count, cursor < bytes.endIndex, bytes[cursor] == pattern[matched] {
                cursor = bytes.index(after: cursor)
                matched += 1
            }
            if matched == pattern.count { return candidate..<cursor }
            position = bytes.index(after: candidate)
        }
        return nil
    }

    /// The last occurrence of `needle` that ends at or before `end`.
    func lastByteRange(of needle: String, before end: Index) -> Range<Index>? {
        var found: Range<Index>?
        var position = startIndex
        while let range = byteRange(of: needle, from: position), range.upperBound <= end {
            found = range
            position = utf8.index(after: range.lowerBound)
        }
        return found
    }

    /// Whether `needle` occurs.
    func containsBytes(_ needle: String) -> Bool { byteRange(of: needle) != nil }

    /// `self` with every occurrence of `needle` replaced by `replacement`.
    func replacingBytes(_ needle: String, with replacement: String) -> String {
        var result = ""
        var position = startIndex
        while let range = byteRange(of: needle, from: position) {
            result += self[position..<range.lowerBound]
            result += replacement
            position = range.upperBound
        }
        result += self[position...]
        return result
    }
}
