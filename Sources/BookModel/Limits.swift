/// The resources one chapter program may use: front matter `memory`, `max-file-size` and
/// `max-artifacts-size`, with defaults a teaching book never reaches.
public struct ChapterLimits: Codable, Sendable, Equatable {
    /// Resident memory of the chapter program, in bytes (front matter `memory`, default 4 GB).
    public var memory: Int64
    /// The largest file the program may write, in bytes (front matter `max-file-size`, default 1 GB).
    public var maxFileSize: Int64
    /// The most bytes of files the chapter may leave behind to publish (front matter `max-artifacts-size`, default 100 MB).
    public var maxArtifactsSize: Int64

    public static let defaultMemory: Int64 = 4_000_000_000
    public static let defaultMaxFileSize: Int64 = 1_000_000_000
    public static let defaultMaxArtifactsSize: Int64 = 100_000_000

    public init(memory: Int64 = Self.defaultMemory, maxFileSize: Int64 = Self.defaultMaxFileSize,
                maxArtifactsSize: Int64 = Self.defaultMaxArtifactsSize) {
        self.memory = memory; self.maxFileSize = maxFileSize; self.maxArtifactsSize = maxArtifactsSize
    }
}

/// Byte counts as people write them in front matter: `4GB`, `512 MB`, `2GiB`.
public enum ByteSize {
    private static let units: [(name: String, factor: Int64)] = [
        ("B", 1), ("KB", 1_000), ("MB", 1_000_000), ("GB", 1_000_000_000), ("TB", 1_000_000_000_000),
        ("KiB", 1 << 10), ("MiB", 1 << 20), ("GiB", 1 << 30), ("TiB", 1 << 40),
    ]

    /// The bytes `text` names (a number and a unit: B, KB, MB, GB, TB, KiB, MiB, GiB, TiB, any case), or nil.
    public static func parse(_ text: String) -> Int64? {
        let trimmed = text.drop { $0 == " " }
        let number = trimmed.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
        let unit = String(trimmed.dropFirst(number.count).filter { $0 != " " }).lowercased()
        guard let value = Double(number), value.isFinite, value >= 0,
              let factor = units.first(where: { $0.name.lowercased() == unit })?.factor
        else { return nil }
        let bytes = value * Double(factor)
        guard bytes < 9e18 else { return nil }
        return Int64(bytes.rounded())
    }

    /// `4 GB`, `1.5 GB`, `512 MiB`, `300 bytes`: a whole number of a binary unit when it is one (and not
    /// a round decimal number), else decimal units with at most one decimal.
    public static func format(_ bytes: Int64) -> String {
        if bytes % 1_000 != 0 {
            for (name, factor) in units.reversed() where name.hasSuffix("iB") && bytes >= factor && bytes % factor == 0 {
                return "\(bytes / factor) \(name)"
            }
        }
        for (name, factor) in units.reversed() where !name.hasSuffix("iB") && factor > 1 && bytes >= factor {
            let tenths = (bytes + factor / 20) / (factor / 10)
            return tenths % 10 == 0 ? "\(tenths / 10) \(name)" : "\(tenths / 10).\(tenths % 10) \(name)"
        }
        return bytes == 1 ? "1 byte" : "\(bytes) bytes"
    }
}
