/// The request line and header fields of one HTTP/1.x request, read strictly and in linear time.
///
/// What is refused, and with which status:
/// - a request line longer than ``DevServer/Limits/maxRequestLine`` bytes: 414 URI Too Long;
/// - header fields longer than ``DevServer/Limits/maxHeaderBytes`` in all, one field line longer than
///   ``DevServer/Limits/maxRequestLine``, or more than ``DevServer/Limits/maxHeaderCount`` fields: 431;
/// - a request line that is not `METHOD SP /target SP HTTP/d.d` with single spaces, a target that is not a
///   path (absolute-form, `*`) or holds a byte outside visible ASCII, a header line without a colon, with
///   space before the colon, folded (obs-fold), or with a control character in its value, a missing or
///   repeated `Host`: 400 Bad Request;
/// - a version other than HTTP/1.0 and HTTP/1.1 (HTTP/0.9, HTTP/2.0, HTTP/3.0): 505.
///
/// No byte of the request ever reaches a response header unless it passed these checks (the target is
/// visible ASCII only), so no control character can be reflected.
struct RequestHead: Sendable, Equatable {
    var method: String
    /// The request target as sent: path and optional query, still percent-encoded.
    var target: String
    /// 0 for HTTP/1.0, 1 for HTTP/1.1.
    var minorVersion: Int
    /// Header fields in order; names lower-cased, values trimmed of surrounding blanks.
    var fields: [(name: String, value: String)]

    static func == (lhs: RequestHead, rhs: RequestHead) -> Bool {
        lhs.method == rhs.method && lhs.target == rhs.target && lhs.minorVersion == rhs.minorVersion
            && lhs.fields.map(\.name) == rhs.fields.map(\.name) && lhs.fields.map(\.value) == rhs.fields.map(\.value)
    }

    /// The path part of the target (before `?`).
    var path: String { String(target.prefix { $0 != "?" }) }
    /// The query after `?` (empty when there is none).
    var query: String {
        guard let mark = target.firstIndex(of: "?") else { return "" }
        return String(target[target.index(after: mark)...])
    }

    /// The value of the first field named `name` (lower case).
    func field(_ name: String) -> String? { fields.first { $0.name == name }?.value }

    /// Whether the connection may carry another request after this one's response.
    var keepAlive: Bool {
        let tokens = fields.filter { $0.name == "connection" }.flatMap { field in
            field.value.lowercased().split(separator: ",").map { token in
                token.utf8.drop { $0 == 0x20 || $0 == 0x09 }.reversed().drop { $0 == 0x20 || $0 == 0x09 }.reversed()
            }.map { String(decoding: $0, as: UTF8.self) }
        }
        if tokens.contains("close") { return false }
        return minorVersion >= 1 || tokens.contains("keep-alive")
    }

    /// The request announces a body (which this server never reads).
    var hasBody: Bool {
        if field("transfer-encoding") != nil { return true }
        if let length = field("content-length") { return length != "0" }
        return false
    }

    /// Why a request head was refused: the status to answer and a sentence for the body.
    struct Refusal: Error, Sendable, Equatable {
        var status: Int
        var message: String

        static func badRequest(_ message: String) -> Refusal { Refusal(status: 400, message: message) }
    }

    /// How far a connection's input has been scanned for the end of its head, kept between reads.
    struct Scan: Sendable {
        var scanned = 0
        /// Where the first line ends, once seen.
        var firstLineEnd: Int?
    }

    /// Where a head ends in `bytes`, scanning only the bytes that arrived since the last call (`scan` keeps
    /// its place), so a head that arrives in many pieces is still read once. Returns the index just past
    /// the blank line, or nil; throws a refusal once the limits cannot be met.
    static func end(in bytes: [UInt8], scan: inout Scan, limits: DevServer.Limits) throws(Refusal) -> Int? {
        var index = max(0, scan.scanned)
        let count = bytes.count
        while index < count {
            if bytes[index] == 0x0A {
                if scan.firstLineEnd == nil { scan.firstLineEnd = index }
                // "\n\n" or "\r\n\r\n" (a bare LF ends a line too, as RFC 9112 allows recipients to accept).
                if index >= 1, bytes[index - 1] == 0x0A { scan.scanned = index + 1; return index + 1 }
                if index >= 2, bytes[index - 1] == 0x0D, bytes[index - 2] == 0x0A { scan.scanned = index + 1; return index + 1 }
            }
            index += 1
        }
        scan.scanned = index
        // Not complete yet: is it already too long?
        if scan.firstLineEnd == nil, count > limits.maxRequestLine + 1 {
            throw Refusal(status: 414, message: "The request line is longer than \(limits.maxRequestLine) bytes.")
        }
        if count > limits.maxRequestLine + 2 + limits.maxHeaderBytes {
            throw Refusal(status: 431, message: "The request's header fields are longer than \(limits.maxHeaderBytes) bytes.")
        }
        return nil
    }

    /// Parses a complete head (request line and fields, up to and including the blank line).
    static func parse(_ bytes: ArraySlice<UInt8>, limits: DevServer.Limits) throws(Refusal) -> RequestHead {
        var lines: [ArraySlice<UInt8>] = []
        var start = bytes.startIndex
        for index in bytes.indices where bytes[index] == 0x0A {
            var end = index
            if end > start, bytes[end - 1] == 0x0D { end -= 1 }
            lines.append(bytes[start..<end])
            start = index + 1
        }
        // Leading empty lines before a request line are to be ignored (RFC 9112 §2.2).
        while let first = lines.first, first.isEmpty, lines.count > 1 { lines.removeFirst() }
        guard let requestLine = lines.first, !requestLine.isEmpty else { throw .badRequest("The request line is empty.") }
        if requestLine.count > limits.maxRequestLine {
            throw Refusal(status: 414, message: "The request line is longer than \(limits.maxRequestLine) bytes.")
        }
        let parts = requestLine.split(separator: 0x20, omittingEmptySubsequences: false)
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty }) else {
            throw .badRequest("The request line is not 'METHOD /path HTTP/1.1'.")
        }
        let method = parts[0], target = parts[1], version = parts[2]
        guard method.allSatisfy(isTokenByte) else { throw .badRequest("The request method is not a token.") }
        guard target.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw .badRequest("The request target holds a space, a control character or a byte outside ASCII.")
        }
        // The version: HTTP/d.d; anything else is malformed, a well-formed other version is unsupported.
        let versionBytes = Array(version)
        guard versionBytes.count == 8, versionBytes.starts(with: Array("HTTP/".utf8)),
              isDigit(versionBytes[5]), versionBytes[6] == 0x2E, isDigit(versionBytes[7]) else {
            throw .badRequest("The request line does not end with an HTTP version such as HTTP/1.1.")
        }
        guard versionBytes[5] == 0x31, versionBytes[7] == 0x30 || versionBytes[7] == 0x31 else {
            throw Refusal(status: 505, message: "Only HTTP/1.0 and HTTP/1.1 are supported.")
        }
        guard target.first == 0x2F else {
            throw .badRequest("The request target must be a path starting with '/'.")
        }
        var fields: [(name: String, value: String)] = []
        var fieldBytes = 0
        for line in lines.dropFirst() where !line.isEmpty {
            fieldBytes += line.count + 2
            guard fields.count < limits.maxHeaderCount else {
                throw Refusal(status: 431, message: "The request has more than \(limits.maxHeaderCount) header fields.")
            }
            guard line.count <= limits.maxRequestLine, fieldBytes <= limits.maxHeaderBytes else {
                throw Refusal(status: 431, message: "The request's header fields are longer than \(limits.maxHeaderBytes) bytes.")
            }
            guard let first = line.first, first != 0x20, first != 0x09 else {
                throw .badRequest("A header field is folded over lines (obs-fold).")
            }
            guard let colon = line.firstIndex(of: 0x3A) else { throw .badRequest("A header line has no colon.") }
            let name = line[line.startIndex..<colon]
            guard !name.isEmpty, name.allSatisfy(isTokenByte) else {
                throw .badRequest("A header field name is empty or holds a space or a separator.")
            }
            var value = line[(colon + 1)...]
            while let b = value.first, b == 0x20 || b == 0x09 { value.removeFirst() }
            while let b = value.last, b == 0x20 || b == 0x09 { value.removeLast() }
            guard value.allSatisfy({ $0 == 0x09 || ($0 >= 0x20 && $0 != 0x7F) }) else {
                throw .badRequest("A header field value holds a control character.")
            }
            fields.append((String(decoding: name, as: UTF8.self).lowercased(), String(decoding: value, as: UTF8.self)))
        }
        let head = RequestHead(method: String(decoding: method, as: UTF8.self), target: String(decoding: target, as: UTF8.self),
                               minorVersion: Int(versionBytes[7] - 0x30), fields: fields)
        let hosts = fields.filter { $0.name == "host" }.count
        guard hosts == 1 else {
            throw .badRequest(hosts == 0 ? "The request has no Host header." : "The request has more than one Host header.")
        }
        return head
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    /// RFC 9110 `tchar`.
    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
             UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
             UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"): true
        default: false
        }
    }
}
