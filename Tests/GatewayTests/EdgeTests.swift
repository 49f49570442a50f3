import Foundation
import MusterAuth
import MusterCore
import MusterCrypto
import MusterTestSupport
import Testing

/// The Gateway's edge, with a real `gateway` process in front of a real stand-in
/// upstream, driven by the real curl (and raw bytes where curl refuses to go).
@Suite(.serialized) struct EdgeTests {
    /// Runs `body` with a gateway whose every service is the stand-in.
    static func withGateway(_ extra: [String: String] = [:],
                            _ body: (ServiceProcess, StandInService) async throws -> Void) async throws {
        let upstream = try StandInService()
        let gateway = try await ServiceProcess.gateway(upstream: upstream.url, extra: ["MUSTER_RATE_LIMITS": "off"].merging(extra) { $1 })
        defer { gateway.stop(); gateway.removeLog() }
        try await body(gateway, upstream)
        await upstream.stop()
    }

    @Test func internalRoutesTraversalInjectionAndOversizeAreRefused() async throws {
        try await Self.withGateway { gateway, _ in
            for (method, path) in [("GET", "/internal/routes"), ("PUT", "/internal/agencies/6b1f0c1e-0000-4000-8000-000000000001")] {
                #expect(try Curl.request(method, gateway.url + path, body: method == "PUT" ? "{}" : nil).status == 404)
            }
            for path in ["/api/v1/auth/../../internal/routes", "/api/v1/auth/%2e%2e/%2e%2e/internal/routes",
                         "/api/v1/records/%2E%2E%2Finternal", "/api/v1/auth//echo"] {
                let response = try Curl.request("GET", gateway.url + path, extra: ["--path-as-is"])
                #expect(response.status == 400, "\(path)")
                #expect(response.json.flatMap { $0["error"] as? [String: Any] }?["code"] as? String == "invalid_path")
            }
            let carriageReturn = try RawHTTP.exchange(port: gateway.port,
                                                      "GET /api/v1/auth/echo HTTP/1.1\r\nHost: x\r\nX-Note: a\rInjected: b\r\n\r\n")
            #expect(carriageReturn.hasPrefix("HTTP/1.1 400"))
            let lineFeed = try RawHTTP.exchange(port: gateway.port, "GET /api/v1/auth/echo HTTP/1.1\r\nHost: x\r\nX-Note: a\nInjected: b\r\n\r\n")
            #expect(lineFeed.hasPrefix("HTTP/1.1 400"))
            let folded = try RawHTTP.exchange(port: gateway.port, "GET /api/v1/auth/echo HTTP/1.1\r\nHost: x\r\nX-Note: a\r\n Injected: b\r\n\r\n")
            #expect(folded.hasPrefix("HTTP/1.1 400"))

            let huge = try Curl.request("GET", gateway.url + "/api/v1/auth/echo", headers: ["X-Big": String(repeating: "h", count: 20_000)])
            #expect(huge.status == 431)
            let big = try Curl.request("POST", gateway.url + "/api/v1/auth/login", body: String(repeating: "b", count: 20_000))
            #expect(big.status == 413)
            #expect(!gateway.log.contains("\"route\":\"/internal"), "nothing internal was routed")
        }
    }

    @Test func forwardedRequestsCarryTheGatewaysHeadersNotTheClients() async throws {
        try await Self.withGateway { gateway, _ in
            let response = try Curl.request("POST", gateway.url + "/api/v1/auth/login", headers: [
                "X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https", "X-Forwarded-Host": "evil.example",
                "Forwarded": "for=203.0.113.9", "X-Real-IP": "203.0.113.9", "X-Muster-Service-Credential": "forged",
                "Connection": "X-Secret", "X-Secret": "s", "Keep-Alive": "timeout=5", "X-Request-Id": "edge-1",
                "Authorization": "Bearer user-token", "Content-Type": "application/json",
            ], body: #"{"email":"a@b.test"}"#)
            #expect(response.status == 200)
            let seen = try #require(response.json as? [String: String])
            #expect(seen["x-forwarded-for"] == "127.0.0.1")
            #expect(seen["x-forwarded-proto"] == "http")
            #expect(seen["x-request-id"] == "edge-1")
            #expect(seen["authorization"] == "Bearer user-token", "the user's token passes through")
            #expect(seen["body_bytes"] == "20")
            for dropped in ["x-forwarded-host", "forwarded", "x-real-ip", "x-secret", "keep-alive"] {
                #expect(seen[dropped] == nil, "\(dropped) is not forwarded")
            }
            let credential = try #require(seen["x-muster-service-credential"])
            let keys = try ServiceCredentials.publicKeys(Environment(gateway.environment))
            #expect(try ServiceCredentialVerifier(service: .identity, trustedKeys: keys).verify(credential) == .gateway)

            #expect(response.headers["x-request-id"] == "edge-1")
            #expect(response.headers["x-content-type-options"] == "nosniff")
            #expect(response.headers["referrer-policy"] == "no-referrer")
            #expect(response.headers["x-frame-options"] == "DENY")
            #expect(response.headers["cache-control"] == "no-store")
            #expect(response.headers["content-security-policy"] == "default-src 'none'; frame-ancestors 'none'")
            #expect(response.headers["strict-transport-security"] == nil, "no HSTS over plain HTTP")
        }
    }

    @Test func protectedRoutesNeedAValidTokenAtTheEdge() async throws {
        try await Self.withGateway { gateway, upstream in
            let missing = try Curl.request("GET", gateway.url + "/api/v1/records/echo", headers: ["X-Request-Id": "no-token"])
            #expect(missing.status == 401)
            #expect(missing.headers["www-authenticate"] == "Bearer")
            let forged = try Curl.request("GET", gateway.url + "/api/v1/records/echo", headers: ["Authorization": "Bearer a.b.c"])
            #expect(forged.status == 401)
            #expect(forged.json.flatMap { $0["error"] as? [String: Any] }?["code"] as? String == "invalid_token")

            let agency = AgencyID()
            let token = try upstream.token(agency: agency)
            let allowed = try Curl.request("GET", gateway.url + "/api/v1/records/echo", headers: ["Authorization": "Bearer \(token)",
                                                                                                   "X-Request-Id": "with-token"])
            #expect(allowed.status == 200)
            #expect((allowed.json as? [String: String])?["authorization"] == "Bearer \(token)")
            // The first token came before the signing keys: the proxy's task path fetched them and
            // forwarded it. With the keys in hand, the next one is checked and forwarded on the loop.
            let again = try Curl.request("GET", gateway.url + "/api/v1/records/echo", headers: ["Authorization": "Bearer \(token)"])
            #expect(again.status == 200)
            #expect((again.json as? [String: String])?["authorization"] == "Bearer \(token)")
            let unknownKey = try upstream.token(agency: agency, key: JWTSigningKey(privateKey: Ed25519.PrivateKey()))
            let unknown = try Curl.request("GET", gateway.url + "/api/v1/records/echo", headers: ["Authorization": "Bearer \(unknownKey)"])
            #expect(unknown.status == 401, "a key the issuer never published")

            let lines = gateway.log.split(separator: "\n")
            let refused = try #require(lines.first { $0.contains("\"request_id\":\"no-token\"") && $0.contains("\"message\":\"request\"") })
            #expect(refused.contains("\"status\":\"401\"") && !refused.contains("upstream"), "refused before any upstream")
            let logged = try #require(lines.first { $0.contains("\"request_id\":\"with-token\"") && $0.contains("\"message\":\"request\"") })
            #expect(logged.contains("\"agency\":\"\(agency)\""))
            #expect(logged.contains("\"route\":\"/api/v1/records/*\""))
            #expect(logged.contains("\"upstream\":\"\(upstream.url)\""))
            #expect(!gateway.log.contains(token), "the token is never logged")
        }
    }

    /// A keep-alive connection's token is taken again on a byte comparison (``ConnectionMemory``),
    /// but a session revoked meanwhile is refused on that same connection once the feed reports it.
    @Test func aRevokedSessionIsRefusedOnTheConnectionThatUsedIt() async throws {
        try await Self.withGateway(["MUSTER_REVOCATION_POLL_MS": "100"]) { gateway, upstream in
            let session = SessionID()
            let token = try upstream.token(session: session)
            let script = """
            import http.client, json, sys, time, urllib.request
            token, session, stand_in = sys.argv[1:4]
            gateway = http.client.HTTPConnection("127.0.0.1", \(gateway.port), timeout=5)
            def get():
                gateway.request("GET", "/api/v1/records/echo", headers={"Authorization": "Bearer " + token})
                response = gateway.getresponse()
                response.read()
                return response.status
            before = [get(), get(), get()]
            local = gateway.sock.getsockname()
            urllib.request.urlopen(urllib.request.Request(stand_in + "/stand-in/revoke", data=session.encode(), method="POST"))
            after, deadline = get(), time.time() + 10
            while after != 401 and time.time() < deadline:
                time.sleep(0.05)
                after = get()
            print(json.dumps({"before": before, "after": after, "same_connection": gateway.sock.getsockname() == local}))
            """
            let output = try await Task.detached {
                try Command.run("python3", ["-c", script, token, session.description, upstream.url]).stdout
            }.value
            let outcome = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
            #expect(outcome["before"] as? [Int] == [200, 200, 200])
            #expect(outcome["after"] as? Int == 401, "the revoked session is refused on the connection that proved it")
            #expect(outcome["same_connection"] as? Bool == true)
        }
    }

    @Test func bodiesStreamAndSlowUpstreamsTimeOut() async throws {
        try await Self.withGateway(["MUSTER_GATEWAY_UPSTREAM_TIMEOUT_MS": "700"]) { gateway, _ in
            let result = try Command.run("curl", ["-sS", "--max-time", "10", "-o", "/dev/null", "-w", "%{http_code} %{size_download}",
                                                  gateway.url + "/api/v1/auth/stream"])
            #expect(result.stdout == "200 1048576", "\(result.stderr)")
            let slow = try Curl.request("GET", gateway.url + "/api/v1/auth/slow")
            #expect(slow.status == 504)
            #expect(slow.json.flatMap { $0["error"] as? [String: Any] }?["code"] as? String == "upstream_timeout")
        }
    }

    @Test func connectionsPerAddressAreLimited() async throws {
        try await Self.withGateway(["MUSTER_GATEWAY_MAX_CONNECTIONS_PER_ADDRESS": "2"]) { gateway, _ in
            let script = """
            import socket, time
            held = [socket.create_connection(("127.0.0.1", \(gateway.port)), timeout=5) for _ in range(2)]
            time.sleep(0.3)
            extra = socket.create_connection(("127.0.0.1", \(gateway.port)), timeout=5)
            extra.sendall(b"GET /healthz HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n")
            try:
                print("third:", len(extra.recv(4096)))
            except ConnectionResetError:
                print("third: 0")
            held[0].sendall(b"GET /healthz HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n")
            print("first:", held[0].recv(4096).split(b"\\r\\n")[0].decode())
            """
            let output = try Command.run("python3", ["-c", script]).stdout
            #expect(output.contains("third: 0"), "\(output)")
            #expect(output.contains("first: HTTP/1.1 200 OK"), "\(output)")
        }
    }

    @Test func unavailableServicesAnswer503WithRetryAfter() async throws {
        let gateway = try await ServiceProcess.gateway(upstream: "http://127.0.0.1:\(TestEnvironment.freePort())",
                                                       extra: ["MUSTER_RATE_LIMITS": "off"])
        defer { gateway.stop(); gateway.removeLog() }
        let response = try Curl.request("GET", gateway.url + "/api/v1/auth/echo")
        #expect(response.status == 503)
        #expect(response.headers["retry-after"] != nil)
        let ready = try Curl.request("GET", gateway.adminURL + "/readyz")
        #expect(ready.status == 503, "not ready without any healthy instance")
    }

    @Test func webAppStatusMetricsAndCORS() async throws {
        try await Self.withGateway(["MUSTER_GATEWAY_CORS_ORIGINS": "https://app.muster.test"]) { gateway, upstream in
            for path in ["/api/v1/no/such/route", "/api", "/api/", "/api/v2/users"] {
                let unknown = try Curl.request("GET", gateway.url + path)
                #expect(unknown.status == 404, "\(path)")
                #expect((unknown.json?["error"] as? [String: Any])?["code"] as? String == "not_found", "\(path)")
                #expect(unknown.headers["content-type"]?.hasPrefix("application/json") == true, "\(path)")
            }

            let status = "/api/v1/platform/status"
            #expect(try Curl.request("GET", gateway.url + status).status == 401)
            #expect(try Curl.request("GET", gateway.url + status, headers: ["Authorization": "Bearer \(upstream.token())"]).status == 403)
            let report = try Curl.request("GET", gateway.url + status,
                                          headers: ["Authorization": "Bearer \(upstream.token(roles: [.platformOperator]))"])
            #expect(report.status == 200)
            let services = try #require(report.json?["services"] as? [[String: Any]])
            #expect(Set(services.compactMap { $0["name"] as? String }) == ["identity", "records", "audit", "notify"])
            let instance = try #require((services.first?["instances"] as? [[String: Any]])?.first)
            #expect(instance["url"] as? String == upstream.url && instance["healthy"] as? Bool == true)
            #expect(instance["version"] as? String == "9.9.9" && instance["uptime_seconds"] as? Int == 42 && instance["breaker"] as? String == "closed")

            let metrics = try Curl.request("GET", gateway.adminURL + "/metrics").body
            #expect(metrics.contains("gateway_upstream_healthy{service=\"records\",instance=\"\(upstream.url)\"} 1"))
            #expect(metrics.contains("gateway_upstream_breaker_state{service=\"records\",instance=\"\(upstream.url)\"} 0"))
            #expect(metrics.contains("http_requests_total{route=\"GET /\",status=\"200\"}") || metrics.contains("route=\"unmatched\""))

            let preflight = try Curl.request("OPTIONS", gateway.url + "/api/v1/records/echo", headers: [
                "Origin": "https://app.muster.test", "Access-Control-Request-Method": "GET",
                "Access-Control-Request-Headers": "authorization"])
            #expect(preflight.status == 204)
            #expect(preflight.headers["access-control-allow-origin"] == "https://app.muster.test")
            #expect(preflight.headers["access-control-allow-headers"]?.contains("Authorization") == true)
            let foreign = try Curl.request("OPTIONS", gateway.url + "/api/v1/records/echo", headers: [
                "Origin": "https://evil.test", "Access-Control-Request-Method": "GET"])
            #expect(foreign.status == 403 && foreign.headers["access-control-allow-origin"] == nil)
            let simple = try Curl.request("GET", gateway.url + "/api/v1/auth/echo", headers: ["Origin": "https://app.muster.test"])
            #expect(simple.headers["access-control-allow-origin"] == "https://app.muster.test")
        }
    }
}
