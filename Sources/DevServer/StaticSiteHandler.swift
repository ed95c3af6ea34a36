import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Answers GET and HEAD for the files under one folder, plus the live-reload event stream.
///
/// Every path is checked twice: lexically (`RequestPath` refuses `..`, encoded dots and slashes, empty
/// segments and control characters) and on disk (the real path, with symlinks resolved, must stay inside
/// the real path of the root). Anything else answers 400, 403, 404 or 405 — never a file outside the root.
struct StaticSiteHandler: Sendable {
    static let eventsPath = "/__loopbook/events"

    let root: String
    let host: String
    let injectLiveReload: Bool
    /// HTML pages with the live-reload script already added, so a page asked for again is not read again.
    let injectedPages = InjectedPages()

    /// The answer to one parsed request. Host first (403 for a foreign `Host`, see ``HostCheck``), then the
    /// method (405 with `Allow: GET, HEAD`), then the path.
    func respond(to request: RequestHead) -> Response {
        guard HostCheck.allows(request.field("host") ?? "", boundHost: host) else {
            return Response.plain(403, "This server answers only requests for localhost, 127.0.0.1 or [::1] "
                                  + "(or the --host it listens on); the Host header names another site.\n")
        }
        let isHead = request.method == "HEAD"
        guard request.method == "GET" || isHead else {
            return Response.plain(405, "Only GET and HEAD are allowed.\n", extra: [("Allow", "GET, HEAD")])
        }
        let rawPath = request.path
        if rawPath == Self.eventsPath {
            return eventStream(head: isHead)
        }
        let path: RequestPath
        do {
            path = try RequestPath(raw: rawPath)
        } catch {
            return Response.plain(400, error.description + "\n", head: isHead)
        }
        guard var file = Self.resolve(path.segments, under: root) else { return notFound(head: isHead) }
        if file.isDirectory {
            guard path.isDirectory || path.segments.isEmpty else {
                // Redirect to the folder URL so that relative links in its index.html resolve. The target is
                // visible ASCII only (RequestHead refuses anything else), so it is safe in a header.
                var location = rawPath + "/"
                let query = request.query
                if !query.isEmpty { location += "?" + query }
                return Response(status: 301, headers: [("Location", location)])
            }
            guard let index = Self.resolve(path.segments + ["index.html"], under: root), !index.isDirectory else {
                return notFound(head: isHead)
            }
            file = index
        } else if path.isDirectory {
            return notFound(head: isHead)
        }
        do {
            return try serve(file.path, status: 200, head: isHead)
        } catch {
            return Response.plain(500, "The file could not be read.\n", head: isHead)
        }
    }

    private func serve(_ path: String, status: Int, head: Bool) throws -> Response {
        let type = ContentType.forFile(named: path)
        let headers: [(String, String)] = [
            ("Content-Type", type),
            ("Cache-Control", "no-store"),
            ("X-Content-Type-Options", "nosniff"),
        ]
        var info = stat()
        guard stat(path, &info) == 0 else { throw CocoaError(.fileReadNoSuchFile) }
        if type.hasPrefix("text/html"), injectLiveReload {
            let version = InjectedPages.Version(info)
            if let body = injectedPages.page(at: path, version: version) {
                return Response(status: status, headers: headers, body: .bytes(body), headOnly: head)
            }
            let html = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
            let body = LiveReloadScript.inject(into: html, eventsPath: Self.eventsPath)
            injectedPages.keep(body, at: path, version: version)
            return Response(status: status, headers: headers, body: .bytes(body), headOnly: head)
        }
        return Response(status: status, headers: headers, body: .file(path: path, size: Int(info.st_size)), headOnly: head)
    }

    private func notFound(head: Bool) -> Response {
        if let page = Self.resolve(["404.html"], under: root), !page.isDirectory,
           let response = try? serve(page.path, status: 404, head: head) {
            return response
        }
        let html = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>Not found</title></head>
            <body><h1>Not found</h1><p>There is no page at this address. <a href="/">Go to the start.</a></p></body></html>

            """
        let page = injectLiveReload ? LiveReloadScript.inject(into: html, eventsPath: Self.eventsPath) : html
        return Response(status: 404, headers: [("Content-Type", "text/html; charset=utf-8"), ("Cache-Control", "no-store")],
                        body: .bytes(Array(page.utf8)), headOnly: head)
    }

    private func eventStream(head: Bool) -> Response {
        Response(status: 200, headers: [
            ("Content-Type", "text/event-stream; charset=utf-8"),
            ("Cache-Control", "no-store"),
            ("X-Accel-Buffering", "no"),
        ], body: head ? .bytes([]) : .events, headOnly: head)
    }

    /// The real path of `segments` under `root` when it exists and stays inside `root` after resolving
    /// symlinks; nil otherwise. `root` must already be a real path.
    static func resolve(_ segments: [String], under root: String) -> (path: String, isDirectory: Bool)? {
        let candidate = segments.reduce(root) { $0 + "/" + $1 }
        guard let real = realPath(candidate) else { return nil }
        guard real == root || real.hasPrefix(root == "/" ? "/" : root + "/") else { return nil }
        var info = stat()
        guard stat(real, &info) == 0 else { return nil }
        let kind = info.st_mode & S_IFMT
        guard kind == S_IFDIR || kind == S_IFREG else { return nil }
        return (real, kind == S_IFDIR)
    }

    /// The last pages served with the live-reload script in them, by real path. An entry is used only while
    /// the file's inode, size, modification and change times are those it was read with (a rebuild
    /// publishes by renaming new files into place, which changes the inode), and all are dropped when they
    /// hold more than 32 MB.
    final class InjectedPages: Sendable {
        struct Version: Equatable {
            var device: UInt64, inode: UInt64, size: Int64
            var modified: Int64, modifiedNanoseconds: Int64, changed: Int64, changedNanoseconds: Int64

            init(_ info: stat) {
                device = UInt64(info.st_dev)
                inode = UInt64(info.st_ino)
                size = Int64(info.st_size)
                modified = Int64(info.st_mtim.tv_sec)
                modifiedNanoseconds = Int64(info.st_mtim.tv_nsec)
                changed = Int64(info.st_ctim.tv_sec)
                changedNanoseconds = Int64(info.st_ctim.tv_nsec)
            }
        }

        private let pages = Mutex<(entries: [String: (version: Version, body: [UInt8])], bytes: Int)>(([:], 0))

        func page(at path: String, version: Version) -> [UInt8]? {
            pages.withLock { state in
                guard let entry = state.entries[path], entry.version == version else { return nil }
                return entry.body
            }
        }

        func keep(_ body: [UInt8], at path: String, version: Version) {
            pages.withLock { state in
                if state.bytes + body.count > 32 << 20 { state = ([:], 0) }
                state.bytes += body.count - (state.entries[path]?.body.count ?? 0)
                state.entries[path] = (version, body)
            }
        }
    }

    /// `realpath(3)`: the absolute path with every symlink, `.` and `..` resolved; nil if it does not exist.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
