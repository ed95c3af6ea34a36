/// One answer of the dev server: status, header fields and a body.
struct Response: Sendable {
    enum Body: Sendable {
        /// Bytes held in memory (Content-Length is set from them).
        case bytes([UInt8])
        /// A file streamed from disk in pieces; `size` is its length when the answer was made.
        case file(path: String, size: Int)
        /// The live-reload event stream: stays open, closed by the server.
        case events
    }

    var status: Int
    var headers: [(String, String)]
    var body: Body
    /// Send no body (HEAD), but the same header fields.
    var headOnly = false

    init(status: Int, headers: [(String, String)] = [], body: Body = .bytes([]), headOnly: Bool = false) {
        self.status = status
        self.headers = headers
        self.body = body
        self.headOnly = headOnly
    }

    /// A short text/plain answer.
    static func plain(_ status: Int, _ text: String, head: Bool = false, extra: [(String, String)] = []) -> Response {
        Response(status: status, headers: [("Content-Type", "text/plain; charset=utf-8"), ("Cache-Control", "no-store")] + extra,
                 body: .bytes(Array(text.utf8)), headOnly: head)
    }

    static func reason(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 301: "Moved Permanently"
        case 400: "Bad Request"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 408: "Request Timeout"
        case 413: "Content Too Large"
        case 414: "URI Too Long"
        case 431: "Request Header Fields Too Large"
        case 500: "Internal Server Error"
        case 503: "Service Unavailable"
        case 505: "HTTP Version Not Supported"
        default: "Status"
        }
    }

    /// The status line and header fields, ending with the blank line. Values are our own; a control
    /// character in one (which would split the header) is dropped all the same.
    func encodedHead(contentLength: Int?, close: Bool) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(256)
        bytes += "HTTP/1.1 \(status) \(Self.reason(status))\r\n".utf8
        for (name, value) in headers {
            bytes += name.utf8
            bytes += ": ".utf8
            // In UTF-8 a byte below 0x20, or 0x7F, is always that control character itself.
            bytes += value.utf8.lazy.filter { $0 >= 0x20 && $0 != 0x7F }
            bytes += "\r\n".utf8
        }
        if let contentLength { bytes += "Content-Length: \(contentLength)\r\n".utf8 }
        if close { bytes += "Connection: close\r\n".utf8 }
        bytes += "\r\n".utf8
        return bytes
    }
}
