import BookModel
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Runs a program in a session of its own, draining stdout and stderr while it runs, with a timeout;
/// when the program ends or times out, every process left in its session is killed (so a child that
/// forks and keeps the pipes open cannot hang a build, and nothing it started outlives it).
///
/// Why a session and not only a process group: Foundation's `Process` starts each child in a new
/// process group, so a chapter that runs `Process` (say `sleep 1000`) would leave a child that
/// `kill(-group)` misses. Children keep their session unless they call `setsid` themselves. Foundation's
/// `Process` cannot start a program in a new session, so this uses `posix_spawn` with
/// `POSIX_SPAWN_SETSID` directly.
enum ProcessRunner {
    /// How the program ended.
    enum Termination: Equatable, Sendable {
        case exited(Int32)
        case signaled(Int32)
        /// Killed after running longer than the timeout.
        case timedOut(seconds: Double)
    }

    /// Runs `executable` and calls `onStdout`/`onStderr` with each chunk as it arrives (on this thread).
    ///
    /// Blocks until the program ended and its pipes were drained (or, for pipes a stray grandchild keeps
    /// open, until a short grace period after the program's group was killed).
    ///
    /// With a `group`, the program belongs to it: cancelling the group kills it (and refuses to start it,
    /// throwing `CancellationError`, when the group was cancelled already).
    ///
    /// With `ordered`, the callbacks see the writes to stdout and stderr in exactly the order the program
    /// made them (see `OrderedStreams`), not merely the order in which two pipes happened to be read.
    ///
    /// With `limits`, the program runs under them (see `SpawnLimits`), and a program stopped for using
    /// too much memory is reported there.
    static func run(executable: String, arguments: [String], environment: [String: String],
                    directory: String, timeout: Double, group: ProgramGroup? = nil, ordered: Bool = false,
                    limits: SpawnLimits? = nil,
                    onStdout: (UnsafeRawBufferPointer) -> Void,
                    onStderr: (UnsafeRawBufferPointer) -> Void) throws -> Termination {
        if group?.isCancelled == true { throw CancellationError() }
        // Descriptors are made close-on-exec under a lock shared by all spawns of this process, so a chapter
        // spawned in parallel never inherits another chapter's pipe (which would keep it open).
        spawnLock.lock()
        var locked = true
        defer { if locked { spawnLock.unlock() } }
        let streams: Streams
        if ordered {
            let sockets = try OrderedStreams(executable: executable)
            streams = Streams(readers: [sockets.receiver], writers: sockets.senders, ordered: sockets)
        } else {
            var outPipe: [Int32] = [0, 0], errPipe: [Int32] = [0, 0]
            guard pipe(&outPipe) == 0 else { throw SpawnError(executable: executable, code: errno) }
            guard pipe(&errPipe) == 0 else {
                close(outPipe[0]); close(outPipe[1])
                throw SpawnError(executable: executable, code: errno)
            }
            for descriptor in outPipe + errPipe { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
            streams = Streams(readers: [outPipe[0], errPipe[0]], writers: [outPipe[1], errPipe[1]], ordered: nil)
        }
        // With limits, the program starts behind a gate: a shell that waits for the gate pipe to close and
        // then execs it, so the limits are set (on that pid, which exec keeps) before it runs a single line.
        var gate: [Int32] = [-1, -1]
        if limits != nil, pipe(&gate) != 0 {
            streams.closeAll()
            throw SpawnError(executable: executable, code: errno)
        }
        defer { for descriptor in gate where descriptor >= 0 { close(descriptor) } }
        for descriptor in gate where descriptor >= 0 { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, streams.writers[0], 1)
        posix_spawn_file_actions_adddup2(&actions, streams.writers[1], 2)
        if limits != nil { posix_spawn_file_actions_adddup2(&actions, gate[0], 3) }
        guard let addChdir = Self.addChdir else {
            streams.closeAll()
            throw SpawnError(executable: executable, code: ENOSYS)
        }
        _ = directory.withCString { addChdir(&actions, $0) }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaultSignals = sigset_t()
        sigfillset(&defaultSignals)
        posix_spawnattr_setsigdefault(&attributes, &defaultSignals)
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setflags(&attributes, Int16(Self.spawnSetSession | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let program = limits == nil ? executable : "/bin/sh"
        let commandLine = limits == nil ? [executable] + arguments : ["/bin/sh", "-c", Self.gateScript, executable] + arguments
        let argv = commandLine.map { strdup($0) } + [nil]
        let envp = environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, program, &actions, &attributes, argv, envp)
        streams.writers.forEach { close($0) }
        if gate[0] >= 0 { close(gate[0]); gate[0] = -1 }
        spawnLock.unlock()
        locked = false
        guard spawned == 0 else {
            streams.readers.forEach { close($0) }
            throw SpawnError(executable: executable, code: spawned)
        }
        liveSessions.withLock { _ = $0.insert(pid) }
        // Cancelled between the check above and the spawn: the program dies at once and is reaped below.
        if let group, !group.register(pid) { killSession(pid) }
        if let limits {
            if let code = limits.apply(to: pid) {
                killSession(pid)
                _ = reap(pid, blocking: true)
                streams.readers.forEach { close($0) }
                liveSessions.withLock { _ = $0.remove(pid) }
                group?.unregister(pid)
                throw SpawnError(executable: executable, code: code)
            }
            close(gate[1]); gate[1] = -1
        }
        defer {
            streams.readers.forEach { close($0) }
            liveSessions.withLock { _ = $0.remove(pid) }
            group?.unregister(pid)
        }

        let start = DispatchTime.now().uptimeNanoseconds
        // At most about 30 years: a larger timeout (front matter checks it) must not overflow the deadline.
        let deadline = start + UInt64(min(max(0, timeout), 1e9) * 1e9)
        var termination: Termination?
        var graceDeadline: UInt64?
        var open = streams.readers.map { _ in true }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: streams.ordered?.largestMessage ?? 1 << 16, alignment: 8)
        defer { buffer.deallocate() }
        /// Reads what is ready; false once nothing more can come (a pipe's end of file).
        func read(_ index: Int) {
            if let ordered = streams.ordered {
                ordered.receiveAll(into: buffer, onStdout: onStdout, onStderr: onStderr)
                return
            }
            let count = Glibc.read(streams.readers[index], buffer.baseAddress, buffer.count)
            if count > 0 {
                let chunk = UnsafeRawBufferPointer(rebasing: buffer[0..<count])
                if index == 0 { onStdout(chunk) } else { onStderr(chunk) }
            } else if count == 0 || (errno != EINTR && errno != EAGAIN) {
                open[index] = false
            }
        }

        while open.contains(true) {
            var fds = streams.readers.indices.map { pollfd(fd: open[$0] ? streams.readers[$0] : -1, events: Int16(POLLIN), revents: 0) }
            let ready = poll(&fds, nfds_t(fds.count), 50)
            if ready < 0, errno != EINTR { break }
            if ready > 0 {
                for index in fds.indices where open[index] && fds[index].revents != 0 { read(index) }
            }
            let now = DispatchTime.now().uptimeNanoseconds
            if termination == nil {
                if let status = reap(pid, blocking: false) {
                    termination = status
                    // The program is gone; anything left in its session only keeps the pipes open.
                    killSession(pid)
                    graceDeadline = now + 1_000_000_000
                } else if now >= deadline {
                    killSession(pid)
                    _ = reap(pid, blocking: true)
                    termination = .timedOut(seconds: timeout)
                    graceDeadline = now + 1_000_000_000
                } else if let limits, let resident = Self.residentBytes(pid), resident > limits.memory {
                    killSession(pid)
                    _ = reap(pid, blocking: true)
                    limits.memoryExceeded = true
                    termination = .signaled(SIGKILL)
                    graceDeadline = now + 1_000_000_000
                }
                // Sockets have no end of file: once nothing in the session can write, take what is queued and stop.
                if termination != nil, streams.ordered != nil {
                    read(0)
                    break
                }
            } else if let grace = graceDeadline, now >= grace {
                break
            }
        }
        if termination == nil {
            // Both pipes closed before we saw the exit: wait for it, still bounded by the deadline.
            while termination == nil {
                if let status = reap(pid, blocking: false) {
                    termination = status
                } else if DispatchTime.now().uptimeNanoseconds >= deadline {
                    killSession(pid)
                    _ = reap(pid, blocking: true)
                    termination = .timedOut(seconds: timeout)
                } else if let limits, let resident = Self.residentBytes(pid), resident > limits.memory {
                    killSession(pid)
                    _ = reap(pid, blocking: true)
                    limits.memoryExceeded = true
                    termination = .signaled(SIGKILL)
                } else {
                    usleep(2_000)
                }
            }
            killSession(pid)
        }
        return termination ?? .signaled(SIGKILL)
    }

    /// The descriptors one run reads from and the program writes to (its stdout, then its stderr).
    private struct Streams {
        var readers: [Int32]
        var writers: [Int32]
        var ordered: OrderedStreams?

        func closeAll() { (readers + writers).forEach { close($0) } }
    }

    /// Runs a program to completion and returns its stdout and stderr as bytes.
    static func capture(executable: String, arguments: [String], environment: [String: String],
                        directory: String, timeout: Double, group: ProgramGroup? = nil) throws -> (Termination, [UInt8], [UInt8]) {
        var out: [UInt8] = [], err: [UInt8] = []
        let termination = try run(executable: executable, arguments: arguments, environment: environment,
                                  directory: directory, timeout: timeout, group: group,
                                  onStdout: { out.append(contentsOf: $0.bindMemory(to: UInt8.self)) },
                                  onStderr: { err.append(contentsOf: $0.bindMemory(to: UInt8.self)) })
        return (termination, out, err)
    }

    private static let spawnLock = NSLock()

    /// Waits until the gate (fd 3) is closed, closes it, and becomes the program (`$0`) with its arguments.
    private static let gateScript = "read gate <&3; exec 3<&- \"$0\" \"$@\""

    /// The resident memory of `pid` in bytes (from `/proc/<pid>/statm`), or nil when it cannot be read.
    static func residentBytes(_ pid: pid_t) -> Int64? {
        #if os(Linux)
        let descriptor = open("/proc/\(pid)/statm", O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes = [UInt8](repeating: 0, count: 128)
        let count = read(descriptor, &bytes, bytes.count)
        guard count > 0 else { return nil }
        // "size resident shared text lib data dt", in pages.
        let fields = bytes[..<count].split(separator: UInt8(ascii: " "))
        guard fields.count > 1, let pages = Int64(String(decoding: fields[1], as: UTF8.self)) else { return nil }
        return pages * Int64(sysconf(Int32(_SC_PAGESIZE)))
        #else
        return nil
        #endif
    }

    /// The sessions of programs running now (their leaders' pids), for `killAllSessions`.
    private static let liveSessions = Mutex<Set<pid_t>>([])

    /// Kills every program this process started and is still running, with everything in their sessions.
    ///
    /// Chapter programs run in sessions of their own, so a Ctrl-C in the terminal (sent to the foreground
    /// process group) does not reach them; the command calls this when it is interrupted.
    static func killAllSessions() {
        for session in liveSessions.withLock({ Array($0) }) { killSession(session) }
    }

    /// glibc's `POSIX_SPAWN_SETSID` (2.26+): the child calls `setsid()`, becoming the leader of a new
    /// session and of a new process group, both with its pid as id.
    private static let spawnSetSession: Int32 = 0x80

    /// Kills the program's process group and every process still in its session (`sid == pid`), also
    /// those a child moved to process groups of their own.
    ///
    /// A process may be forking while the list is read, and a child in the middle of `fork` is not yet
    /// listed: so the list is read again until it has been empty three times in a row (a few ms).
    static func killSession(_ session: pid_t) {
        kill(-session, SIGKILL)
        #if os(Linux)
        var emptyRounds = 0
        for _ in 0..<50 where emptyRounds < 3 {
            let members = processes(inSession: session)
            emptyRounds = members.isEmpty ? emptyRounds + 1 : 0
            for member in members { kill(member, SIGKILL) }
            usleep(1_000)
        }
        #endif
    }

    /// The live processes whose session id is `session` (from `/proc/<pid>/stat`; zombies excluded).
    static func processes(inSession session: pid_t) -> [pid_t] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        var members: [pid_t] = []
        for name in names {
            guard let pid = pid_t(name), pid > 0,
                  let stat = FileManager.default.contents(atPath: "/proc/\(name)/stat") else { continue }
            // "pid (comm) state ppid pgrp session ...": comm may hold spaces and parentheses, so read after the last ')'.
            guard let close = stat.lastIndex(of: UInt8(ascii: ")")) else { continue }
            let fields = stat[(close + 1)...].split(separator: UInt8(ascii: " "))
            guard fields.count >= 4, let state = fields.first?.first, state != UInt8(ascii: "Z"),
                  let sid = pid_t(String(decoding: fields[fields.startIndex + 3], as: UTF8.self)),
                  sid == session else { continue }
            members.append(pid)
        }
        return members
    }

    private typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32

    /// glibc's `posix_spawn_file_actions_addchdir_np` (2.29+), which Swift's Glibc module does not export.
    private static let addChdir: AddChdir? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addchdir_np") else {
            return nil
        }
        return unsafeBitCast(symbol, to: AddChdir.self)
    }()

    private static func reap(_ pid: pid_t, blocking: Bool) -> Termination? {
        var status: Int32 = 0
        while true {
            let result = waitpid(pid, &status, blocking ? 0 : WNOHANG)
            if result == 0 { return nil }
            if result < 0 {
                if errno == EINTR { continue }
                return .signaled(SIGKILL)
            }
            break
        }
        let signal = status & 0x7f
        if signal == 0 { return .exited((status >> 8) & 0xff) }
        return .signaled(signal)
    }
}

/// The programs one build started (compilers and chapter programs), so cancelling the build can kill
/// exactly those, with everything in their sessions.
final class ProgramGroup: Sendable {
    private let state = Mutex<(cancelled: Bool, sessions: Set<pid_t>)>((false, []))

    var isCancelled: Bool { state.withLock { $0.cancelled } }

    /// Adds a running program's session; false (and not added) when the group was cancelled already.
    func register(_ session: pid_t) -> Bool {
        state.withLock { state in
            guard !state.cancelled else { return false }
            state.sessions.insert(session)
            return true
        }
    }

    func unregister(_ session: pid_t) {
        _ = state.withLock { $0.sessions.remove(session) }
    }

    /// Kills every program of the group now, and every program started in it from now on.
    func cancel() {
        let sessions = state.withLock { state in
            state.cancelled = true
            return Array(state.sessions)
        }
        for session in sessions { ProcessRunner.killSession(session) }
    }
}

/// The limits one chapter program runs under, and whether it was stopped for breaking the memory limit.
///
/// Why this way: `posix_spawn` has no attribute for resource limits, and setting them in this process
/// around the spawn would apply them to every thread of the build for that moment. So the program starts
/// as `/bin/sh` held at a gate; `prlimit(2)` sets the limits on that pid, which `exec` keeps, and only then
/// is the gate opened. No line of the chapter runs without them.
///
/// - `RLIMIT_FSIZE` = `fileSize`: writing past it raises SIGXFSZ, which ends the program.
/// - Memory: the build samples the program's resident memory while it runs (with its output, at least
///   every 50 ms) and stops it above `memory`, so the message can name the limit; `RLIMIT_AS` at
///   `addressSpace` (above `memory`, since virtual reservations are not memory used) stops a single huge
///   allocation that would never become resident in time.
/// - `RLIMIT_CORE` = 0: a crash leaves no core file.
/// - No `RLIMIT_NPROC`: it counts every process of the user, not of the chapter, so it would fail chapters
///   for what other programs run; everything a chapter starts is killed with its session anyway.
final class SpawnLimits: @unchecked Sendable {
    let memory: Int64
    let addressSpace: Int64
    let fileSize: Int64
    /// Set when the program was stopped because its resident memory went above `memory`.
    var memoryExceeded = false

    init(memory: Int64, fileSize: Int64) {
        self.memory = memory
        addressSpace = memory + max(memory, 4_000_000_000)
        self.fileSize = fileSize
    }

    /// Sets the limits on `pid`; returns the error number when that failed.
    func apply(to pid: pid_t) -> Int32? {
        guard let setLimit = Self.prlimit else { return ENOSYS }
        for (resource, value) in [(RLIMIT_AS, addressSpace), (RLIMIT_FSIZE, fileSize), (RLIMIT_CORE, 0)] {
            var current = rlimit()
            guard setLimit(pid, Int32(resource.rawValue), nil, &current) == 0 else { return errno }
            // Never above the hard limit this process has: that would be refused.
            let wanted = min(rlim_t(value), current.rlim_max)
            var limit = rlimit(rlim_cur: wanted, rlim_max: wanted)
            guard setLimit(pid, Int32(resource.rawValue), &limit, nil) == 0 else { return errno }
        }
        return nil
    }

    private typealias PrLimit = @convention(c) (pid_t, Int32, UnsafePointer<rlimit>?, UnsafeMutablePointer<rlimit>?) -> Int32

    /// glibc's `prlimit` (2.13+), looked up like `posix_spawn_file_actions_addchdir_np`.
    private static let prlimit: PrLimit? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "prlimit") else { return nil }
        return unsafeBitCast(symbol, to: PrLimit.self)
    }()
}

/// A program could not be started.
struct SpawnError: Error, CustomStringConvertible {
    var executable: String
    var code: Int32
    var description: String { "\(executable) could not be started: \(String(cString: strerror(code)))." }
}
