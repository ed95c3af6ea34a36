/// The part of a request target that names a file under the served folder, checked for traversal.
///
/// The raw, still percent-encoded path is split on `/` *before* decoding, so an encoded slash (`%2f`)
/// can never introduce a separator. A segment is refused when it is `.` or `..` (also when encoded as
/// `%2e%2e`), empty in the middle (`//etc/passwd`), contains a slash or backslash once decoded, contains a
/// NUL or another control character, or is not valid percent-encoded UTF-8.
public struct RequestPath: Sendable, Equatable {
    /// Decoded path segments below the served folder; empty for the root.
    public var segments: [String]
    /// The request named a folder (its path ended with `/`, or was `/`).
    public var isDirectory: Bool

    /// Why a request path was refused.
    public enum Refusal: Error, Sendable, Equatable, CustomStringConvertible {
        case notAbsolute(String)
        case emptySegment(String)
        case dotSegment(String)
        case badEncoding(String)
        case forbiddenCharacter(String)

        public var description: String {
            switch self {
            case let .notAbsolute(path): "The request path '\(path)' does not start with '/'."
            case let .emptySegment(path): "The request path '\(path)' contains an empty segment ('//')."
            case let .dotSegment(path): "The request path '\(path)' contains a '.' or '..' segment."
            case let .badEncoding(path): "The request path '\(path)' is not valid percent-encoded UTF-8."
            case let .forbiddenCharacter(path):
                "The request path '\(path)' contains an encoded slash, a backslash or a control character."
            }
        }
    }

    public init(segments: [String], isDirectory: Bool) {
        self.segments = segments
        self.isDirectory = isDirectory
    }

    /// Parses a raw request path such as `/chapters/01-intro.html` (no query string).
    public init(raw: String) throws(Refusal) {
        guard raw.hasPrefix("/") else { throw .notAbsolute(raw) }
        var parts = raw.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        isDirectory = parts.last == ""
        if isDirectory { parts.removeLast() }
        var decoded: [String] = []
        for part in parts {
            guard !part.isEmpty else { throw .emptySegment(raw) }
            // Without a `%` there is nothing to decode (and Foundation's decoder costs a string copy or two).
            guard let segment = part.utf8.contains(UInt8(ascii: "%")) ? part.removingPercentEncoding : part else {
                throw .badEncoding(raw)
            }
            guard segment != ".", segment != ".." else { throw .dotSegment(raw) }
            let forbidden = segment.unicodeScalars.contains { scalar in
                scalar == "/" || scalar == "\\" || scalar.value < 0x20 || scalar.value == 0x7F
            }
            guard !forbidden else { throw .forbiddenCharacter(raw) }
            decoded.append(segment)
        }
        segments = decoded
    }
}
