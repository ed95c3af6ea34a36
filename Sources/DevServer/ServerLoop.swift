import CEpoll
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The dev server's connections, served by one thread of its own with `epoll(7)`.
///
/// epoll, not poll: a wake-up costs what is ready, not what is open, so a thousand idle connections do not
/// slow the answers to the busy ones (issue #12). Each descriptor is registered once, with what its state
/// waits for (reading: input; writing: room to write), and changed only when that changes.
///
/// Why not Swift's task threads: they are one per core and the rebuild loop runs on them, so a request that
/// costs CPU or blocks would stop rebuilds (issue a05). Here every request head is scanned once, bounded by
/// ``DevServer/Limits``; every descriptor is non-blocking and close-on-exec; and nothing a client does can
/// end the accept loop: running out of descriptors (EMFILE) turns one connection away with 503 using a
/// spare descriptor kept for that, pauses accepting briefly, and goes on (see ``DevServer/Notice``).
final class ServerLoop: @unchecked Sendable {
    private let listener: Int32
    private let handler: StaticSiteHandler
    private let hub: LiveReloadHub
    private let limits: DevServer.Limits
    private let heartbeat: Double
    private let notice: @Sendable (DevServer.Notice) -> Void
    private let wakeRead: Int32
    /// The epoll instance (close-on-exec).
    private let epoll: Int32
    private let waker: Waker
    private let stopping = Atomic<Bool>(false)
    private let finished = Mutex<(done: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    // Everything below belongs to the loop's thread.
    private var connections: [Int32: Connection] = [:]
    private var spare: Int32 = -1
    private var acceptPausedUntil = 0.0
    private var listening = true
    private var nextHeartbeat = 0.0
    private var turnedAway = 0
    private var lastExhaustionNotice = -1_000.0
    private var lastCapNotice = -1_000.0
    private var eventStreams = 0
    private var nextExpiry = 0.0
    /// Whether the listener is registered with `epoll` (it is not while accepting is paused or over).
    private var listenerWatched = false
    /// Connections with a request already buffered (pipelined after a keep-alive answer), to answer next.
    private var pending: [Connection] = []
    /// Makes each connection's epoll token unique, so an event for a closed descriptor is never taken for
    /// a new connection that got the same number.
    private var generation: UInt64 = 0
    private static let wakeToken = UInt64.max, listenerToken = UInt64.max - 1
    /// One buffer for every read (the loop reads one connection at a time).
    private var readBuffer = [UInt8](repeating: 0, count: 16_384)

    /// The write end of the wake-up pipe; written and closed under a lock, so a late wake-up from another
    /// thread never writes into a descriptor number that was reused.
    private final class Waker: Sendable {
        private let fd: Mutex<Int32>
        init(fd: Int32) { self.fd = Mutex(fd) }
        func wake() {
            fd.withLock { fd in
                guard fd >= 0 else { return }
                var byte: UInt8 = 1
                _ = write(fd, &byte, 1)
            }
        }
        func close() {
            fd.withLock { fd in
                if fd >= 0 { Glibc.close(fd) }
                fd = -1
            }
        }
    }

    private final class Connection {
        enum State { case reading, writing, events, draining }
        let fd: Int32
        /// What epoll reports for it: the generation in the high half, the descriptor in the low one.
        let token: UInt64
        /// What it is registered for with epoll now.
        var watched: UInt32 = 0
        var state = State.reading
        var input: [UInt8] = []
        var scan = RequestHead.Scan()
        /// When the first byte of the request being read arrived.
        var requestStarted: Double?
        /// The last time a byte moved either way.
        var lastActivity: Double
        var output: [UInt8] = []
        var outputOffset = 0
        var file: Int32 = -1
        var fileRemaining = 0
        var closeAfterWrite = false
        /// After the answer, read and drop what the client still sends before closing (a refused request).
        var lingerAfterWrite = false
        var needsProcessing = false
        var seenSequence = 0
        var drainUntil = 0.0
        var drained = 0

        init(fd: Int32, generation: UInt64, now: Double) {
            self.fd = fd
            token = generation << 32 | UInt64(UInt32(bitPattern: fd))
            lastActivity = now
        }
    }

    /// Takes over `listener` (bound, listening, non-blocking and close-on-exec).
    init(listener: Int32, handler: StaticSiteHandler, hub: LiveReloadHub, limits: DevServer.Limits,
         heartbeat: Duration, notice: @escaping @Sendable (DevServer.Notice) -> Void) throws {
        var fds: [Int32] = [-1, -1]
        let type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue)
        guard socketpair(AF_UNIX, type, 0, &fds) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        let poller = cepoll_create()
        guard poller >= 0, cepoll_add(poller, fds[0], CEPOLL_IN, Self.wakeToken) == 0 else {
            let code = POSIXErrorCode(rawValue: errno) ?? .EIO
            if poller >= 0 { Glibc.close(poller) }
            Glibc.close(fds[0])
            Glibc.close(fds[1])
            throw POSIXError(code)
        }
        epoll = poller
        wakeRead = fds[0]
        waker = Waker(fd: fds[1])
        self.listener = listener
        self.handler = handler
        self.hub = hub
        self.limits = limits
        let parts = heartbeat.components
        self.heartbeat = max(0.01, Double(parts.seconds) + Double(parts.attoseconds) / 1e18)
        self.notice = notice
        spare = open("/dev/null", O_RDONLY | O_CLOEXEC)
    }

    /// Starts the loop's thread.
    func start() {
        let waker = self.waker
        hub.setWake { waker.wake() }
        let thread = Thread { [self] in run() }
        thread.name = "loopbook-devserver"
        thread.start()
    }

    /// Closes the listener and every connection, and returns once the thread has ended.
    func stop() async {
        stopping.store(true, ordering: .sequentiallyConsistent)
        waker.wake()
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let done = finished.withLock { state -> Bool in
                if state.done { return true }
                state.waiters.append(continuation)
                return false
            }
            if done { continuation.resume() }
        }
    }

    private typealias Accept4 = @convention(c) (Int32, UnsafeMutablePointer<sockaddr>?, UnsafeMutablePointer<socklen_t>?, Int32) -> Int32

    /// glibc's `accept4` (Swift's Glibc module does not export it): it sets close-on-exec atomically, so a
    /// chapter program spawned by another thread at that moment cannot inherit the connection.
    private static let accept4: Accept4? = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "accept4")
        .map { unsafeBitCast($0, to: Accept4.self) }

    /// A connection from `listener`, non-blocking and close-on-exec; -1 with `errno` set otherwise.
    static func acceptCloseOnExec(_ listener: Int32) -> Int32 {
        if let accept4 {
            return accept4(listener, nil, nil, Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue))
        }
        let fd = accept(listener, nil, nil)
        if fd >= 0 {
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        }
        return fd
    }

    static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    // MARK: The loop

    private func run() {
        nextHeartbeat = Self.now() + heartbeat
        var ready = [cepoll_event](repeating: cepoll_event(), count: 256)
        while !stopping.load(ordering: .sequentiallyConsistent) {
            var now = Self.now()
            deliverMessages()
            if now >= nextHeartbeat {
                nextHeartbeat = now + heartbeat
                for connection in connections.values where connection.state == .events {
                    append(Array(": heartbeat\n\n".utf8), to: connection)
                }
            }
            // Requests already buffered (pipelined after a keep-alive answer).
            let buffered = pending
            pending.removeAll(keepingCapacity: true)
            for connection in buffered where connection.needsProcessing && connections[connection.fd] === connection {
                connection.needsProcessing = false
                process(connection, now: now)
            }
            if spare < 0 { spare = open("/dev/null", O_RDONLY | O_CLOEXEC) }
            watchListener(listening && now >= acceptPausedUntil)
            let count = ready.withUnsafeMutableBufferPointer {
                cepoll_wait(epoll, $0.baseAddress, Int32($0.count), pending.isEmpty ? 100 : 0)
            }
            if count < 0, errno != EINTR { usleep(10_000) }
            now = Self.now()
            for event in ready.prefix(Int(max(0, count))) {
                switch event.data {
                case Self.wakeToken:
                    drainWake()
                case Self.listenerToken:
                    // accept(2) tells what the trouble is (EINVAL for a socket shut down, say).
                    if listenerWatched { acceptConnections(now: now) }
                default:
                    let fd = Int32(bitPattern: UInt32(truncatingIfNeeded: event.data))
                    guard let connection = connections[fd], connection.token == event.data else { continue }
                    handle(connection, events: event.events, now: now)
                }
            }
            if now >= nextExpiry {
                nextExpiry = now + 0.1
                expire(now: now)
            }
        }
        shutDown()
    }

    /// Registers the listener with epoll while accepting, and takes it out while paused or failed (a
    /// failed listener would otherwise report its error on every wake-up).
    private func watchListener(_ accepting: Bool) {
        guard accepting != listenerWatched else { return }
        if accepting {
            guard cepoll_add(epoll, listener, CEPOLL_IN, Self.listenerToken) == 0 else {
                listenerFailed(errno == EBADF ? "the listening socket was closed" : String(cString: strerror(errno)))
                return
            }
        } else {
            _ = cepoll_remove(epoll, listener)
        }
        listenerWatched = accepting
    }

    /// Registers (or re-registers) `connection` with epoll for what its state waits for.
    private func watch(_ connection: Connection) {
        let events: UInt32
        switch connection.state {
        case .reading, .draining: events = CEPOLL_IN
        case .writing: events = CEPOLL_OUT
        case .events: events = CEPOLL_IN | (connection.outputOffset < connection.output.count ? CEPOLL_OUT : 0)
        }
        guard events != connection.watched else { return }
        if cepoll_modify(epoll, connection.fd, events, connection.token) == 0 {
            connection.watched = events
        } else {
            close(connection)
        }
    }

    private func drainWake() {
        var buffer = [UInt8](repeating: 0, count: 256)
        while read(wakeRead, &buffer, buffer.count) > 0 {}
    }

    private func deliverMessages() {
        let messages = hub.take()
        guard !messages.isEmpty else { return }
        for connection in connections.values where connection.state == .events {
            for message in messages where message.sequence > connection.seenSequence {
                append(Array(message.text.utf8), to: connection)
                connection.seenSequence = message.sequence
            }
        }
    }

    // MARK: Accepting

    private func acceptConnections(now: Double) {
        for _ in 0..<64 {
            let fd = Self.acceptCloseOnExec(listener)
            if fd >= 0 {
                admit(fd, now: now)
                continue
            }
            switch errno {
            case EAGAIN, EWOULDBLOCK:
                return
            case EINTR, ECONNABORTED, EPROTO, EPERM:
                continue
            case EMFILE, ENFILE, ENOBUFS, ENOMEM:
                outOfDescriptors(now: now)
                return
            default:
                listenerFailed(String(cString: strerror(errno)))
                return
            }
        }
    }

    private func admit(_ fd: Int32, now: Double) {
        // Half the descriptors stay free for the rest of serve (rebuilds spawn compilers and read files; the
        // runtime needs a few): the limit is read again here, since it may be lowered while serve runs.
        var limit = rlimit()
        if getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max {
            let soft = Int(clamping: limit.rlim_cur)
            if connections.count >= soft / 2, connections.count < limits.maxConnections, !evictIdlest(now: now, grace: 0) {
                refuse(fd, status: 503, message: "The dev server has run out of file descriptors; try again.\n")
                turnedAway += 1
                if now - lastExhaustionNotice >= 10 {
                    lastExhaustionNotice = now
                    notice(.outOfDescriptors(turnedAway: turnedAway, limit: soft))
                    turnedAway = 0
                }
                return
            }
        }
        if connections.count >= limits.maxConnections, !evictIdlest(now: now, grace: 0) {
            refuse(fd, status: 503, message: "The dev server has \(limits.maxConnections) connections open, its limit; try again.\n")
            if now - lastCapNotice >= 10 {
                lastCapNotice = now
                notice(.tooManyConnections(limit: limits.maxConnections))
            }
            return
        }
        let connection = Connection(fd: fd, generation: nextGeneration(), now: now)
        guard cepoll_add(epoll, fd, CEPOLL_IN, connection.token) == 0 else {
            refuse(fd, status: 503, message: "The dev server cannot watch more connections; try again.\n")
            return
        }
        connection.watched = CEPOLL_IN
        // Answers go out as soon as they are written (an answer just over one segment would otherwise wait
        // for the client's acknowledgement of the first).
        var yes: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &yes, socklen_t(MemoryLayout<Int32>.size))
        connections[fd] = connection
    }

    private func nextGeneration() -> UInt64 {
        generation = (generation + 1) & 0x7FFF_FFFF
        return generation
    }

    /// Closes the connection that has waited longest without a request in progress (or, failing that, the
    /// one whose request head is slowest); false when every connection is busy answering or streaming, or
    /// was active within `grace` seconds.
    private func evictIdlest(now: Double, grace: Double) -> Bool {
        var best: Connection?
        for connection in connections.values where connection.state == .reading && now - connection.lastActivity >= grace {
            guard let current = best else { best = connection; continue }
            let idle = connection.input.isEmpty, currentIdle = current.input.isEmpty
            if idle != currentIdle {
                if idle { best = connection }
            } else if connection.lastActivity < current.lastActivity {
                best = connection
            }
        }
        guard let best else { return false }
        close(best)
        return true
    }

    /// EMFILE and friends: free the spare descriptor to accept and turn away one connection with 503 (so
    /// it is not left waiting in the backlog), take the spare back, and pause accepting for a moment.
    private func outOfDescriptors(now: Double) {
        // Idle connections of our own are the first thing to give up.
        // Not one accepted a moment ago, though: accept(2) fails with EMFILE even with nobody waiting, right
        // after the last free descriptor went to a client that has not had time to speak.
        if evictIdlest(now: now, grace: 1) { return }
        acceptPausedUntil = now + 0.1
        // accept(2) needs a free descriptor before it looks at the queue: EMFILE may come with nobody
        // waiting. Only a client actually turned away counts.
        var refused = false
        if spare >= 0 {
            Glibc.close(spare)
            spare = -1
            let fd = Self.acceptCloseOnExec(listener)
            if fd >= 0 {
                // Answered like any refusal (read what the client sent, then close), so it gets to read the
                // 503; the spare is taken back once a descriptor is free again (see `run`).
                let connection = Connection(fd: fd, generation: nextGeneration(), now: now)
                guard cepoll_add(epoll, fd, CEPOLL_IN, connection.token) == 0 else {
                    refuse(fd, status: 503, message: "The dev server has run out of file descriptors; try again.\n")
                    return
                }
                connection.watched = CEPOLL_IN
                connections[fd] = connection
                answer(connection, Response.plain(503, "The dev server has run out of file descriptors; try again.\n",
                                                  extra: [("Retry-After", "1")]), close: true, linger: true, now: now)
                refused = true
            } else {
                spare = open("/dev/null", O_RDONLY | O_CLOEXEC)
            }
        }
        guard refused else { return }
        turnedAway += 1
        if now - lastExhaustionNotice >= 10 {
            lastExhaustionNotice = now
            var limit = rlimit()
            getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
            notice(.outOfDescriptors(turnedAway: turnedAway, limit: Int(limit.rlim_cur)))
            turnedAway = 0
        }
    }

    private func listenerFailed(_ reason: String) {
        guard listening else { return }
        listening = false
        notice(.stoppedListening(reason: reason))
    }

    /// A best-effort short answer on a connection that is closed at once.
    private func refuse(_ fd: Int32, status: Int, message: String) {
        let response = Response.plain(status, message, extra: [("Retry-After", "1")])
        var bytes = response.encodedHead(contentLength: message.utf8.count, close: true)
        bytes += Array(message.utf8)
        _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL) | Int32(MSG_DONTWAIT)) }
        // Read what the client already sent: closing with unread bytes would reset the connection and
        // could destroy the answer before the client reads it.
        shutdown(fd, Int32(SHUT_WR))
        for _ in 0..<16 where readBuffer.withUnsafeMutableBytes({ recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }) > 0 {}
        Glibc.close(fd)
    }

    // MARK: Connections

    private func handle(_ connection: Connection, events: UInt32, now: Double) {
        if events & (CEPOLL_IN | CEPOLL_HUP | CEPOLL_ERR) != 0 {
            switch connection.state {
            case .reading: readRequest(connection, now: now)
            case .events, .draining: readAndDrop(connection, now: now)
            case .writing: break
            }
            guard connections[connection.fd] === connection else { return }
        }
        if events & (CEPOLL_OUT | CEPOLL_ERR | CEPOLL_HUP) != 0, connection.state == .writing || connection.state == .events {
            flush(connection, now: now)
            if events & (CEPOLL_ERR | CEPOLL_HUP) != 0 { close(connection) }
        }
    }

    private func readRequest(_ connection: Connection, now: Double) {
        let n = readBuffer.withUnsafeMutableBytes { recv(connection.fd, $0.baseAddress, $0.count, 0) }
        if n == 0 { close(connection); return }
        if n < 0 {
            if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR { return }
            close(connection)
            return
        }
        if connection.input.isEmpty { connection.requestStarted = now }
        connection.input.append(contentsOf: readBuffer[0..<n])
        connection.lastActivity = now
        process(connection, now: now)
    }

    private func readAndDrop(_ connection: Connection, now: Double) {
        let n = readBuffer.withUnsafeMutableBytes { recv(connection.fd, $0.baseAddress, $0.count, 0) }
        if n == 0 { close(connection); return }
        if n < 0 {
            if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR { return }
            close(connection)
            return
        }
        connection.drained += n
        // A stream listener has nothing to say; a refused client gets a few MB of grace, then is cut off.
        if connection.drained > 4 << 20 { close(connection) }
    }

    /// Answers the request at the start of the input, if its head is complete.
    private func process(_ connection: Connection, now: Double) {
        guard connection.state == .reading, !connection.input.isEmpty else { return }
        do throws(RequestHead.Refusal) {
            guard let end = try RequestHead.end(in: connection.input, scan: &connection.scan, limits: limits) else { return }
            let head = try RequestHead.parse(connection.input[0..<end], limits: limits)
            connection.input.removeFirst(end)
            connection.scan = RequestHead.Scan()
            connection.requestStarted = connection.input.isEmpty ? nil : now
            let response = handler.respond(to: head)
            // A request body is never read: close after answering rather than parse it as the next request.
            // Refusals (403, 405) close too; a missing page (404) does not.
            let refused = response.status >= 400 && response.status != 404
            let close = !head.keepAlive || head.hasBody || refused || stopping.load(ordering: .relaxed)
            answer(connection, response, close: close, linger: head.hasBody, now: now)
        } catch {
            connection.input.removeAll()
            answer(connection, Response.plain(error.status, error.message + "\n"), close: true, linger: true, now: now)
        }
    }

    private func answer(_ connection: Connection, _ response: Response, close: Bool, linger: Bool, now: Double) {
        var body: [UInt8] = []
        var length: Int?
        var close = close
        switch response.body {
        case let .bytes(bytes):
            length = bytes.count
            if !response.headOnly { body = bytes }
        case let .file(path, size):
            length = size
            if !response.headOnly {
                let fd = open(path, O_RDONLY | O_CLOEXEC)
                guard fd >= 0 else {
                    let status = errno == EMFILE || errno == ENFILE ? 503 : 404
                    answer(connection, Response.plain(status, status == 503 ? "The dev server has run out of file descriptors; try again.\n"
                                                      : "There is no file at this address.\n"), close: true, linger: false, now: now)
                    return
                }
                connection.file = fd
                connection.fileRemaining = size
            }
        case .events:
            length = nil
            close = true
        }
        var response = response
        if case .events = response.body { response.headers.append(("Transfer-Encoding", "chunked")) }
        connection.output = response.encodedHead(contentLength: length, close: close) + body
        connection.outputOffset = 0
        connection.closeAfterWrite = close
        connection.lingerAfterWrite = linger
        connection.lastActivity = now
        if case .events = response.body {
            let (text, sequence) = hub.opening()
            connection.output += Self.chunk(Array(text.utf8))
            connection.seenSequence = sequence
            connection.state = .events
            eventStreams += 1
            hub.setListenerCount(eventStreams)
        } else {
            connection.state = .writing
        }
        flush(connection, now: now)
    }

    /// One chunk of a chunked body (event streams are chunked, so a stop can end them cleanly).
    static func chunk(_ bytes: [UInt8]) -> [UInt8] {
        Array((String(bytes.count, radix: 16) + "\r\n").utf8) + bytes + [0x0D, 0x0A]
    }

    /// Appends an event-stream chunk for `bytes` to `connection`.
    private func append(_ bytes: [UInt8], to connection: Connection) {
        let bytes = Self.chunk(bytes)
        if connection.outputOffset > 0, connection.outputOffset == connection.output.count {
            connection.output.removeAll(keepingCapacity: true)
            connection.outputOffset = 0
        }
        connection.output += bytes
        // A page that stopped reading its stream: drop it rather than buffer without end.
        if connection.output.count - connection.outputOffset > limits.maxEventBacklog {
            close(connection)
            return
        }
        flush(connection, now: Self.now())
    }

    /// Writes what is pending; moves the connection on when its answer is complete, and tells epoll what
    /// it waits for next.
    private func flush(_ connection: Connection, now: Double) {
        writePending(connection, now: now)
        if connections[connection.fd] === connection { watch(connection) }
    }

    private func writePending(_ connection: Connection, now: Double) {
        while true {
            // The next piece of a file goes in the same buffer as what is left (the head, for the first), so
            // a small file leaves in one send(2).
            if connection.file >= 0, connection.fileRemaining > 0, connection.output.count - connection.outputOffset < 65_536 {
                connection.output.removeFirst(connection.outputOffset)
                connection.outputOffset = 0
                let start = connection.output.count, size = min(65_536, connection.fileRemaining)
                connection.output += repeatElement(0, count: size)
                let n = connection.output.withUnsafeMutableBytes { read(connection.file, $0.baseAddress! + start, size) }
                connection.output.removeLast(size - max(0, n))
                guard n > 0 else { close(connection); return }   // the file shrank: the length cannot be met
                connection.fileRemaining -= n
            }
            if connection.outputOffset >= connection.output.count {
                connection.output.removeAll(keepingCapacity: true)
                connection.outputOffset = 0
                if connection.file >= 0 {
                    Glibc.close(connection.file)
                    connection.file = -1
                }
                guard connection.state == .writing else { return }
                if connection.closeAfterWrite {
                    if connection.lingerAfterWrite {
                        shutdown(connection.fd, Int32(SHUT_WR))
                        connection.state = .draining
                        connection.drainUntil = now + limits.lingerSeconds
                    } else {
                        close(connection)
                    }
                } else {
                    connection.state = .reading
                    connection.lastActivity = now
                    connection.needsProcessing = !connection.input.isEmpty
                    if connection.needsProcessing { pending.append(connection) }
                }
                return
            }
            let n = connection.output.withUnsafeBytes { buffer in
                send(connection.fd, buffer.baseAddress! + connection.outputOffset, buffer.count - connection.outputOffset,
                     Int32(MSG_NOSIGNAL))
            }
            if n > 0 {
                connection.outputOffset += n
                connection.lastActivity = now
                continue
            }
            if n < 0, errno == EINTR { continue }
            if n < 0, errno == EAGAIN || errno == EWOULDBLOCK { return }
            close(connection)
            return
        }
    }

    /// Closes connections that waited too long: idle ones, request heads that do not complete in time
    /// (408), answers and streams the client stopped reading, refused clients still sending.
    private func expire(now: Double) {
        var expired: [Connection] = []
        for connection in connections.values {
            switch connection.state {
            case .reading:
                if let started = connection.requestStarted {
                    if now - started > limits.headerTimeout { expired.append(connection) }
                } else if now - connection.lastActivity > limits.idleTimeout {
                    expired.append(connection)
                }
            case .writing:
                if now - connection.lastActivity > limits.writeTimeout { expired.append(connection) }
            case .events:
                if connection.outputOffset < connection.output.count, now - connection.lastActivity > limits.writeTimeout {
                    expired.append(connection)
                }
            case .draining:
                if now >= connection.drainUntil { expired.append(connection) }
            }
        }
        for connection in expired {
            if connection.state == .reading, connection.requestStarted != nil {
                connection.input.removeAll()
                answer(connection, Response.plain(408, "The request head did not arrive within \(Int(limits.headerTimeout)) s.\n"),
                       close: true, linger: false, now: now)
            } else {
                close(connection)
            }
        }
    }

    private func close(_ connection: Connection) {
        guard connections[connection.fd] === connection else { return }
        connections[connection.fd] = nil
        if connection.file >= 0 { Glibc.close(connection.file) }
        connection.file = -1
        // Removed explicitly: a program being spawned may hold a copy of the descriptor for a moment, and
        // epoll forgets a descriptor only when its last copy closes.
        _ = cepoll_remove(epoll, connection.fd)
        Glibc.close(connection.fd)
        if connection.state == .events {
            eventStreams -= 1
            hub.setListenerCount(eventStreams)
        }
    }

    private func shutDown() {
        hub.setWake(nil)
        Glibc.close(listener)
        for connection in Array(connections.values) {
            if connection.state == .events {
                // Whatever is still pending, then the last chunk; best effort, the client may be gone.
                let pending = Array(connection.output[connection.outputOffset...]) + Array("0\r\n\r\n".utf8)
                _ = pending.withUnsafeBytes { send(connection.fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL) | Int32(MSG_DONTWAIT)) }
            }
            close(connection)
        }
        hub.setListenerCount(0)
        if spare >= 0 { Glibc.close(spare) }
        waker.close()
        Glibc.close(wakeRead)
        Glibc.close(epoll)
        let waiters = finished.withLock { state in
            state.done = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }
}
