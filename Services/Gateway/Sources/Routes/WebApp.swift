import Foundation
import MusterHTTP

/// The web app's static files (the tree `deploy/dev/build-web.py` writes), read
/// into memory once at start: nothing on disk is opened per request, so no request
/// path can reach outside the folder.
///
/// - `/` and the app's own routes (`routes.json`, e.g. `/people/:id`) are `index.html`, never cached
///   without revalidation (`no-cache`), so a new build is picked up on the next load.
/// - `/assets/<fingerprint>/…` changes name whenever its content does: cached for a year, `immutable`.
/// - A `.gz` sibling built beside a file is sent to clients that accept gzip.
/// - Any other path without a file extension is `404` with `index.html`, which shows the app's
///   "page not found"; other missing files are the JSON `404`. Under `/api/` nothing is ever the app.
///
/// ```swift
/// let app = try WebApp(root: URL(fileURLWithPath: ".build/web"))
/// app.response(for: "/people/42", acceptsGzip: false)?.status   // .ok, index.html
/// app.response(for: "/api/v1/nope", acceptsGzip: false)        // nil: the API's 404
/// ```
struct WebApp: Sendable {
    private struct File: Sendable {
        let body: [UInt8]
        let type: String
    }

    private let files: [String: File]
    private let routes: [AppRoute]

    init(root: URL?) throws {
        var files: [String: File] = [:]
        if let root, let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]) {
            let base = root.standardizedFileURL.path
            for case let url as URL in enumerator where (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
                let path = String(url.standardizedFileURL.path.dropFirst(base.count))
                files[path] = File(body: Array(try Data(contentsOf: url)), type: Self.contentType(url.pathExtension))
            }
        }
        self.files = files
        routes = try files["/routes.json"].map { try AppRoute.list(from: $0.body) } ?? []
    }

    /// The folder to serve: `MUSTER_WEB_ROOT`, else `.build/web` beside the executable's build folder (a source checkout).
    static func root(configured: String?) -> URL? {
        if let configured { return URL(fileURLWithPath: configured) }
        let build = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("web")
        return FileManager.default.fileExists(atPath: build.path) ? build : nil
    }

    var isEmpty: Bool { files.isEmpty }

    /// The answer to a `GET`/`HEAD` of `path`, or nil for the JSON `404`.
    func response(for path: Substring, acceptsGzip: Bool) -> HTTPResponse? {
        // An API path that matches no route is the API's own 404, never the app's page.
        guard path != "/api", !path.hasPrefix("/api/") else { return nil }
        if path != "/", let file = files[String(path)] {
            let immutable = path.hasPrefix("/assets/")
            return serve(file, key: String(path), acceptsGzip: acceptsGzip,
                         cache: immutable ? "public, max-age=31536000, immutable" : "no-cache")
        }
        guard let page = files["/index.html"], path.split(separator: "/").last?.contains(".") != true else { return nil }
        let known = path == "/" || routes.contains { $0.matches(path) }
        return serve(page, key: "/index.html", status: known ? .ok : .notFound, acceptsGzip: acceptsGzip, cache: "no-cache")
    }

    private func serve(_ file: File, key: String, status: HTTPStatus = .ok, acceptsGzip: Bool, cache: String) -> HTTPResponse {
        let compressed = acceptsGzip ? files[key + ".gz"] : nil
        var response = HTTPResponse(status: status, body: .bytes(compressed?.body ?? file.body))
        response.headers.add("Content-Type", file.type)
        response.headers.add("Cache-Control", cache)
        if compressed != nil { response.headers.add("Content-Encoding", "gzip") }
        if files[key + ".gz"] != nil { response.headers.add("Vary", "Accept-Encoding") }
        return response
    }

    private static func contentType(_ ext: String) -> String {
        switch ext.lowercased() {
        case "html": "text/html; charset=utf-8"
        case "js", "mjs": "text/javascript; charset=utf-8"
        case "css": "text/css; charset=utf-8"
        case "json": "application/json"
        case "svg": "image/svg+xml"
        case "png": "image/png"
        case "ico": "image/x-icon"
        case "woff2": "font/woff2"
        case "txt": "text/plain; charset=utf-8"
        case "gz": "application/gzip"
        default: "application/octet-stream"
        }
    }
}

/// One of the app's own routes from `routes.json` (`{"path": "/people/:id", …}`): a
/// `:name` segment stands for any one segment.
struct AppRoute: Sendable, Equatable {
    let segments: [Substring]

    init(_ pattern: String) {
        segments = Substring(pattern).split(separator: "/")
    }

    func matches(_ path: Substring) -> Bool {
        let parts = path.split(separator: "/")
        guard parts.count == segments.count else { return false }
        return zip(segments, parts).allSatisfy { pattern, part in pattern.hasPrefix(":") || pattern == part }
    }

    private struct Entry: Decodable { let path: String }

    static func list(from json: [UInt8]) throws -> [AppRoute] {
        try JSONDecoder().decode([Entry].self, from: Data(json)).map { AppRoute($0.path) }
    }
}
