import Foundation
import MusterHTTP

/// The web app's static files, read into memory once at start (a small folder):
/// nothing on disk is opened per request, so no request path can reach outside it.
///
/// `/` is `index.html`; a path without a file extension that names no file is
/// the app's own route, answered with `index.html` too — except under `/api/`,
/// where an unknown path is the JSON `404` every API client expects.
struct WebApp: Sendable {
    private let files: [String: (body: [UInt8], type: String)]

    init(root: URL?) throws {
        var files: [String: (body: [UInt8], type: String)] = [:]
        if let root, let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]) {
            let base = root.standardizedFileURL.path
            for case let url as URL in enumerator where (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
                let path = String(url.standardizedFileURL.path.dropFirst(base.count))
                files[path] = (Array(try Data(contentsOf: url)), Self.contentType(url.pathExtension))
            }
        }
        self.files = files
    }

    /// The folder to serve: `MUSTER_WEB_ROOT`, else `Services/Gateway/Web` above the executable (a source checkout).
    static func root(configured: String?) -> URL? {
        if let configured { return URL(fileURLWithPath: configured) }
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<5 {
            let candidate = folder.appendingPathComponent("Services/Gateway/Web")
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
            folder.deleteLastPathComponent()
        }
        return nil
    }

    var isEmpty: Bool { files.isEmpty }

    func response(for path: Substring) -> HTTPResponse? {
        // An API path that matches no route is the API's own 404, never the app's page.
        guard path != "/api", !path.hasPrefix("/api/") else { return nil }
        let key = path == "/" ? "/index.html" : String(path)
        let file = files[key] ?? (path.split(separator: "/").last?.contains(".") == false ? files["/index.html"] : nil)
        guard let file else { return nil }
        var response = HTTPResponse(status: .ok, body: .bytes(file.body))
        response.headers.add("Content-Type", file.type)
        response.headers.add("Cache-Control", file.type.hasPrefix("text/html") ? "no-cache" : "public, max-age=300")
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
        default: "application/octet-stream"
        }
    }
}
