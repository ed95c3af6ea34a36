import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A program's stdout and stderr as two Unix datagram sockets sending into one receiving socket, so the
/// engine reads every write in exactly the order the program made it, and knows which stream it went to.
///
/// Why not two pipes: when both pipes hold data, nothing tells which write came first (timestamps taken
/// by the reader only say when it looked). One pipe for both keeps the order but loses which stream a
/// write went to. A datagram socket queue is one queue, filled in the order of the writes (each `write`
/// is one datagram, added at once or blocking while the queue is full), and each datagram carries the
/// address of the socket it was sent from: stdout's or stderr's.
///
/// The cost: one write can be at most `largestMessage` bytes (the send buffer, raised as far as the system
/// allows, `net.core.wmem_max`, at least about 400 KB); a larger single write fails with `EMSGSIZE`.
/// The runtime writes records in smaller pieces, and reports when the C library's stdout failed
/// (`ferror(stdout)`), so such a loss is never silent.
final class OrderedStreams {
    let receiver: Int32
    /// The sending sockets: the program's stdout, then its stderr.
    let senders: [Int32]
    /// The largest datagram a sender can write.
    let largestMessage: Int
    private let names: [[UInt8]]

    init(executable: String) throws {
        func fail(_ code: Int32, closing descriptors: [Int32]) -> SpawnError {
            descriptors.forEach { close($0) }
            return SpawnError(executable: executable, code: code)
        }
        let type = Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        var made: [Int32] = []
        for _ in 0..<3 {
            let descriptor = socket(AF_UNIX, type, 0)
            guard descriptor >= 0 else { throw fail(errno, closing: made) }
            made.append(descriptor)
            // Autobind: the kernel picks a unique abstract address.
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sa_family_t>.size)) }
            }
            guard bound == 0 else { throw fail(errno, closing: made) }
        }
        receiver = made[0]
        senders = Array(made[1...])
        let receiverName = Self.name(of: receiver)
        var largest = Int.max
        for sender in senders {
            var size: Int32 = 64 << 20
            _ = setsockopt(sender, SOL_SOCKET, SO_SNDBUF, &size, socklen_t(MemoryLayout<Int32>.size))
            var length = socklen_t(MemoryLayout<Int32>.size)
            _ = getsockopt(sender, SOL_SOCKET, SO_SNDBUF, &size, &length)
            largest = min(largest, Int(size))
            let connected = receiverName.withUnsafeBytes { bytes in
                connect(sender, bytes.baseAddress!.assumingMemoryBound(to: sockaddr.self), socklen_t(bytes.count))
            }
            guard connected == 0 else { throw fail(errno, closing: made) }
        }
        largestMessage = largest
        names = senders.map { Self.name(of: $0) }
    }

    /// Receives every datagram queued now and hands each to the callback of the stream it was written to.
    func receiveAll(into buffer: UnsafeMutableRawBufferPointer, onStdout: (UnsafeRawBufferPointer) -> Void,
                    onStderr: (UnsafeRawBufferPointer) -> Void) {
        var address = sockaddr_un()
        while true {
            var length = socklen_t(MemoryLayout<sockaddr_un>.size)
            let count = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    recvfrom(receiver, buffer.baseAddress, buffer.count, Int32(MSG_DONTWAIT), $0, &length)
                }
            }
            if count < 0 {
                if errno == EINTR { continue }
                return
            }
            let sender = withUnsafeBytes(of: &address) { Array($0.prefix(Int(length))) }
            let chunk = UnsafeRawBufferPointer(rebasing: buffer[0..<count])
            if sender == names[0] {
                onStdout(chunk)
            } else if sender == names[1] {
                onStderr(chunk)
            }  // else: another process wrote to the receiver's address; not the program's output.
        }
    }

    /// A socket's address as bytes (family and abstract name).
    private static func name(of descriptor: Int32) -> [UInt8] {
        var address = sockaddr_un()
        var length = socklen_t(MemoryLayout<sockaddr_un>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        return withUnsafeBytes(of: &address) { Array($0.prefix(Int(length))) }
    }
}
