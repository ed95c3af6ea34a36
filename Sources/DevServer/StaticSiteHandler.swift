import FlyingFox
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Answers GET and HEAD for the files under one folder, plus the live-reload event stream.
///
/// Every path is checked twice: lexically (`RequestPath` refuses `..`, encoded dots and slashes, empty
/// segments and control characters) and on disk (the real path, with symlinks resolved, must stay inside
/// the real path of the root). Anything else answers 400, 404 or 405 — never a file outside the root.
struct StaticSiteHandler: HTTPHandler {
    static let eventsPath = "/__loopbook/events"

    let root: String
    let hub: LiveReloadHub
    let injectLiveReload: Bool

    func handleRequest(_ request: HTTPRequest) async throws -> HTTPResponse {
        let isHead = request.method == .HEAD
        guard request.method == .GET || isHead else {
            return Self.plain(.methodNotAllowed, "Only GET and HEAD are allowed.\n", head: false,
                              extra: [HTTPHeader("Allow"): "GET, HEAD"])
        }
        let rawPath = request.target.path(percentEncoded: true)
        if rawPath == Self.eventsPath {
            return eventStream(head: isHead)
        }
        let path: RequestPath
        do {
            path = try RequestPath(raw: rawPath)
        } catch {
            return Self.plain(.badRequest, error.description + "\n", head: isHead)
        }
        guard var file = Self.resolve(path.segments, under: root) else { return notFound(head: isHead) }
        if file.isDirectory {
            guard path.isDirectory || path.segments.isEmpty else {
                // Redirect to the folder URL so that relative links in its index.html resolve.
                var location = rawPath + "/"
                let query = request.target.query(percentEncoded: true)
                if !query.isEmpty { location += "?" + query }
                let headers: HTTPHeaders = [.location: location, .contentLength: "0"]
                return HTTPResponse(statusCode: .movedPermanently, headers: headers)
            }
            guard let index = Self.resolve(path.segments + ["index.html"], under: root), !index.isDirectory else {
                return notFound(head: isHead)
            }
            file = index
        } else if path.isDirectory {
            return notFound(head: isHead)
        }
        return try serve(file.path, status: .ok, head: isHead)
    }

    private func serve(_ path: String, status: HTTPStatusCode, head: Bool) throws -> HTTPResponse {
        let type = ContentType.forFile(named: path)
        var headers: HTTPHeaders = [
            .contentType: type,
            .cacheControl: "no-store",
            HTTPHeader("X-Content-Type-Options"): "nosniff",
        ]
        if type.hasPrefix("text/html"), injectLiveReload {
            let html = String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
            let body = Data(LiveReloadScript.inject(into: html, eventsPath: Self.eventsPath).utf8)
            headers[.contentLength] = String(body.count)
            return HTTPResponse(statusCode: status, headers: headers, body: head ? Data() : body)
        }
        if head {
            let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
            headers[.contentLength] = String(size)
            return HTTPResponse(statusCode: status, headers: headers, body: Data())
        }
        return HTTPResponse(statusCode: status, headers: headers,
                            body: try HTTPBodySequence(file: URL(fileURLWithPath: path)))
    }

    private func notFound(head: Bool) -> HTTPResponse {
        if let page = Self.resolve(["404.html"], under: root), !page.isDirectory,
           let response = try? serve(page.path, status: .notFound, head: head) {
            return response
        }
        let html = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>Not found</title></head>
            <body><h1>Not found</h1><p>There is no page at this address. <a href="/">Go to the start.</a></p></body></html>

            """
        let page = injectLiveReload ? LiveReloadScript.inject(into: html, eventsPath: Self.eventsPath) : html
        let body = Data(page.utf8)
        let headers: HTTPHeaders = [.contentType: "text/html; charset=utf-8", .contentLength: String(body.count),
                                    .cacheControl: "no-store"]
        return HTTPResponse(statusCode: .notFound, headers: headers, body: head ? Data() : body)
    }

    private func eventStream(head: Bool) -> HTTPResponse {
        let headers: HTTPHeaders = [
            .contentType: "text/event-stream; charset=utf-8",
            .cacheControl: "no-store",
            HTTPHeader("X-Accel-Buffering"): "no",
        ]
        if head { return HTTPResponse(statusCode: .ok, headers: headers, body: Data()) }
        return HTTPResponse(statusCode: .ok, headers: headers, body: hub.makeBody())
    }

    private static func plain(_ status: HTTPStatusCode, _ text: String, head: Bool,
                              extra: [HTTPHeader: String] = [:]) -> HTTPResponse {
        let body = Data(text.utf8)
        var headers: HTTPHeaders = [.contentType: "text/plain; charset=utf-8", .contentLength: String(body.count)]
        for (key, value) in extra { headers[key] = value }
        return HTTPResponse(statusCode: status, headers: headers, body: head ? Data() : body)
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

    /// `realpath(3)`: the absolute path with every symlink, `.` and `..` resolved; nil if it does not exist.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
