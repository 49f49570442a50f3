import Foundation
import MusterTestSupport
import Testing

/// The web app as the Gateway serves it: the tree `deploy/dev/build-web.py` builds
/// (fingerprinted assets, the Debian libraries, their versions), served by a real
/// `gateway` process and fetched with the real curl.
@Suite(.serialized) struct WebAppTests {
    static let policy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
        + "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

    /// A freshly built web root and a gateway serving it.
    static func withBuiltApp(_ body: (ServiceProcess, URL) async throws -> Void) async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("muster-web-\(UUID())")
        defer { try? FileManager.default.removeItem(at: root) }
        let build = try Command.run(TestEnvironment.packageRoot.appendingPathComponent("deploy/dev/build-web.py").path, [root.path])
        #expect(build.stdout.hasPrefix("/assets/"), "\(build.stderr)")
        try await EdgeTests.withGateway(["MUSTER_WEB_ROOT": root.path]) { gateway, _ in try await body(gateway, root) }
    }

    @Test func thePageIsNeverCachedItsFingerprintedAssetsForAYear() async throws {
        try await Self.withBuiltApp { gateway, root in
            let page = try Curl.request("GET", gateway.url + "/")
            #expect(page.status == 200 && page.body.contains("<title>Muster</title>"))
            #expect(page.headers["cache-control"] == "no-cache")
            #expect(page.headers["content-security-policy"] == Self.policy)
            #expect(!page.body.contains("{{assets}}") && !page.body.contains("<style") && !page.body.contains(" style="))
            // Every script is an external file: no inline code for the policy to allow.
            let scripts = page.body.components(separatedBy: "<script").dropFirst()
            #expect(scripts.count >= 2 && scripts.allSatisfy { $0.contains("src=\"/assets/") && $0.contains("></script>") })

            let referenced = try NSRegularExpression(pattern: #"(?:src|href)="(/assets/[0-9a-f]{16}/[^"]+)""#)
                .matches(in: page.body, range: NSRange(page.body.startIndex..., in: page.body))
                .compactMap { Range($0.range(at: 1), in: page.body).map { String(page.body[$0]) } }
            #expect(referenced.contains { $0.hasSuffix("/main.js") } && referenced.contains { $0.hasSuffix("/bootstrap.min.css") })
            for path in referenced {
                let asset = try Curl.request("GET", gateway.url + path)
                #expect(asset.status == 200, "\(path)")
                #expect(asset.headers["cache-control"] == "public, max-age=31536000, immutable", "\(path)")
                let onDisk = try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
                #expect(asset.body == onDisk, "\(path) is the built file")
                let types = ["js": "text/javascript; charset=utf-8", "css": "text/css; charset=utf-8", "svg": "image/svg+xml"]
                #expect(asset.headers["content-type"] == types[String(path.split(separator: ".").last ?? "")], "\(path)")
            }
            let folder = try #require(referenced.first.map { String($0.prefix("/assets/".count + 16)) })
            #expect(try Curl.request("GET", gateway.url + folder + "/no-such.js").status == 404)
            #expect(try Curl.request("GET", gateway.url + "/assets/0000000000000000/main.js").status == 404)
        }
    }

    @Test func theLibrariesComeFromDebianWithTheirVersionsRecorded() async throws {
        try await Self.withBuiltApp { gateway, _ in
            let page = try Curl.request("GET", gateway.url + "/login").body
            let folder = try #require(page.range(of: #"/assets/[0-9a-f]{16}"#, options: .regularExpression).map { String(page[$0]) })
            let versions = try #require(try Curl.request("GET", gateway.url + folder + "/vendor/versions.json").json)
            for (package, file, installed) in [("libjs-bootstrap5", "bootstrap.min.css", "/usr/share/javascript/bootstrap5/css/bootstrap.min.css"),
                                               ("libjs-chart.js", "chart.min.js", "/usr/share/javascript/chart.js/chart.min.js"),
                                               ("node-qrcode-generator", "qrcode.js", "/usr/share/javascript/qrcode-generator/qrcode.js")] {
                let dpkg = try Command.run("dpkg-query", ["-W", "-f=${Version}", package]).stdout
                #expect((versions[package] as? [String: Any])?["version"] as? String == dpkg, "\(package)")
                let served = try Curl.request("GET", gateway.url + folder + "/vendor/" + file).body
                #expect(served == (try String(contentsOfFile: installed, encoding: .utf8)), "\(file) is Debian's file")
            }
        }
    }

    @Test func gzipIsSentOnlyToClientsThatAcceptIt() async throws {
        try await Self.withBuiltApp { gateway, root in
            let page = try Curl.request("GET", gateway.url + "/").body
            let css = try #require(page.range(of: #"/assets/[0-9a-f]{16}/vendor/bootstrap.min.css"#, options: .regularExpression)
                .map { String(page[$0]) })
            let plain = try Curl.request("GET", gateway.url + css)
            #expect(plain.headers["content-encoding"] == nil && plain.headers["vary"] == "Accept-Encoding")
            let refused = try Curl.request("GET", gateway.url + css, headers: ["Accept-Encoding": "gzip;q=0, identity"])
            #expect(refused.headers["content-encoding"] == nil)
            let compressed = try Command.run("curl", ["-sS", "-D", "-", "-o", "/dev/null", "-H", "Accept-Encoding: br, gzip", gateway.url + css]).stdout
            #expect(compressed.lowercased().contains("content-encoding: gzip"))
            let decoded = try Command.run("curl", ["-sS", "--compressed", gateway.url + css]).stdout
            #expect(decoded == (try String(contentsOf: root.appendingPathComponent(css), encoding: .utf8)))
            let size = try Command.run("curl", ["-sS", "-o", "/dev/null", "-w", "%{size_download}", "-H", "Accept-Encoding: gzip",
                                                gateway.url + css]).stdout
            #expect((Int(size) ?? .max) < plain.body.utf8.count / 3, "compressed: \(size) bytes")
        }
    }

    @Test func onlyTheAppsOwnRoutesAreThePageAndTheAPIKeepsItsJSON404() async throws {
        try await Self.withBuiltApp { gateway, _ in
            for path in ["/login", "/people/42", "/events/7", "/admin/users", "/account/sessions"] {
                let route = try Curl.request("GET", gateway.url + path)
                #expect(route.status == 200 && route.body.contains("<title>Muster</title>"), "\(path)")
                #expect(route.headers["cache-control"] == "no-cache", "\(path)")
            }
            for path in ["/no-such-page", "/people", "/people/42/extra", "/wp-admin"] {
                let unknown = try Curl.request("GET", gateway.url + path)
                #expect(unknown.status == 404 && unknown.body.contains("<title>Muster</title>"), "\(path): the app says page not found")
            }
            for path in ["/no-such-file.js", "/api/v1/no/such/route", "/api", "/api/", "/api/v2/users", "/api/v1/people/42"] {
                let unknown = try Curl.request("GET", gateway.url + path)
                #expect(unknown.status == 404, "\(path)")
                #expect((unknown.json?["error"] as? [String: Any])?["code"] as? String == "not_found", "\(path)")
                #expect(unknown.headers["content-type"]?.hasPrefix("application/json") == true, "\(path)")
                if path.hasPrefix("/api/") {
                    #expect(unknown.headers["content-security-policy"] == "default-src 'none'; frame-ancestors 'none'", "\(path)")
                }
            }
            #expect(try Curl.request("POST", gateway.url + "/login", body: "{}").status == 404, "the page is only read")
            let head = try Curl.request("HEAD", gateway.url + "/people/42", extra: ["-I"])
            #expect(head.status == 200 && head.body.isEmpty)
        }
    }
}
