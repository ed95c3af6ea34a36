#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which `Host` headers the dev server answers: its protection against DNS rebinding.
///
/// A page on another site can make the browser talk to 127.0.0.1 by pointing its own host name there
/// (DNS rebinding); the browser then sends that name in `Host`. So, as webpack-dev-server and Vite do,
/// requests are answered only when `Host` names this machine:
/// - `localhost` or a name under `.localhost` (browsers resolve those to loopback themselves);
/// - a loopback address: `127.0.0.0/8` or `[::1]`;
/// - the address the server was bound to (`--host`);
/// - when bound to every interface (`0.0.0.0` or `::`), any IP address (others on the network reach the
///   book by the machine's address; an address, unlike a name, cannot be rebound).
///
/// A port may follow (`localhost:8000`); anything else, a missing host or a malformed one, is refused with 403.
public enum HostCheck {
    /// Whether a request with `Host: header` may be answered by a server bound to `boundHost`.
    public static func allows(_ header: String, boundHost: String) -> Bool {
        guard let name = hostName(header) else { return false }
        if name == "localhost" || name.hasSuffix(".localhost") { return true }
        let bound = boundHost.lowercased()
        if name == bound { return true }
        if isIPv4(name) {
            return name.hasPrefix("127.") || bound == "0.0.0.0" || bound == "::"
        }
        if isIPv6(name) {
            return normalizedIPv6(name) == normalizedIPv6("::1") || normalizedIPv6(name) == normalizedIPv6(bound)
                || bound == "::" || bound == "0.0.0.0"
        }
        return false
    }

    /// The host name of a `Host` value, lower-cased, without brackets and port; nil when malformed
    /// (an unbracketed IPv6 address, a port that is not 1–5 digits, an empty name).
    static func hostName(_ header: String) -> String? {
        let value = header.lowercased()
        if value.hasPrefix("[") {
            guard let close = value.firstIndex(of: "]") else { return nil }
            let inside = String(value[value.index(after: value.startIndex)..<close])
            guard isPort(value[value.index(after: close)...]), isIPv6(inside) else { return nil }
            return inside
        }
        let parts = value.split(separator: ":", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let name = parts.first, !name.isEmpty else { return nil }
        if parts.count == 2, !isPort(":" + parts[1]) { return nil }
        // ASCII names (all of them, in practice) are checked byte by byte; others by Unicode properties.
        let asciiAllowed = name.utf8.allSatisfy { byte in
            (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || byte == 0x2E || byte == 0x2D || byte == 0x5F
        }
        guard asciiAllowed || name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" || $0 == "_" }) else { return nil }
        return String(name)
    }

    /// Empty, or `:` and 1–5 digits.
    private static func isPort(_ rest: Substring) -> Bool {
        if rest.isEmpty { return true }
        guard rest.first == ":" else { return false }
        let digits = rest.dropFirst()
        return (1...5).contains(digits.count) && digits.allSatisfy { $0.isASCII && $0.isNumber }
    }

    static func isIPv4(_ text: String) -> Bool {
        var address = in_addr()
        return inet_pton(AF_INET, text, &address) == 1
    }

    static func isIPv6(_ text: String) -> Bool { normalizedIPv6(text) != nil }

    private static func normalizedIPv6(_ text: String) -> [UInt8]? {
        var address = in6_addr()
        guard inet_pton(AF_INET6, text, &address) == 1 else { return nil }
        return withUnsafeBytes(of: &address) { Array($0) }
    }
}
