/// Why the dev server could not start.
public enum DevServerError: Error, Equatable, CustomStringConvertible {
    /// The folder to serve does not exist or is not a folder.
    case rootNotFound(path: String)
    /// The host is not an IPv4 or IPv6 address.
    case invalidHost(String)
    /// Binding or listening failed, e.g. the port is in use.
    case cannotListen(host: String, port: UInt16, reason: String)

    public var description: String {
        switch self {
        case let .rootNotFound(path):
            "The folder to serve, '\(path)', does not exist or is not a folder."
        case let .invalidHost(host):
            "The host '\(host)' is not an IPv4 or IPv6 address (for example 127.0.0.1 or ::1)."
        case let .cannotListen(host, port, reason):
            "Cannot listen on \(host):\(port): \(reason). Is another server using the port? Try --port 0 for a free one."
        }
    }
}
