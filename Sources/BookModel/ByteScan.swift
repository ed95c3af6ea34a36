#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension StringProtocol {
    /// Whether the string's UTF-8 holds `byte`: memchr(3) over its storage. The generic `utf8.contains`
    /// visits byte by byte through the collection protocols, which showed in profiles of big books.
    public func containsByte(_ byte: UInt8) -> Bool {
        if let found = utf8.withContiguousStorageIfAvailable({ bytes -> Bool in
            guard let base = bytes.baseAddress, !bytes.isEmpty else { return false }
            return memchr(base, Int32(byte), bytes.count) != nil
        }) { return found }
        return utf8.contains(byte)
    }

    /// Whether the string's UTF-8 holds `first` directly followed by `second` (e.g. "{#").
    public func containsBytes(_ first: UInt8, _ second: UInt8) -> Bool {
        if let found = utf8.withContiguousStorageIfAvailable({ bytes -> Bool in
            guard var cursor = bytes.baseAddress, !bytes.isEmpty else { return false }
            var left = bytes.count
            while left > 1, let hit = memchr(cursor, Int32(first), left) {
                let at = UnsafePointer(hit.assumingMemoryBound(to: UInt8.self))
                let offset = at - cursor
                if offset + 1 < left, at[1] == second { return true }
                cursor = at + 1
                left -= offset + 1
            }
            return false
        }) { return found }
        var previous: UInt8?
        for byte in utf8 {
            if previous == first, byte == second { return true }
            previous = byte
        }
        return false
    }
}
