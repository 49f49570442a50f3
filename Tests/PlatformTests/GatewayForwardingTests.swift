import Foundation
import MusterTestSupport
import Testing

/// The Gateway forwards public requests by path prefix to real service processes.
@Suite(.serialized) struct GatewayForwardingTests {
    @Test func forwardsByPrefixWithRequestIDAndNeverExposesInternalRoutes() async throws {
        let platform = try await Platform.start()
        defer { platform.stop() }
        let gateway = platform.url(.gateway)

        // A public route: the Gateway checks no token, Identity answers.
        let forwarded = try Curl.request("GET", gateway + "/api/v1/auth/no-such-thing", headers: ["X-Request-Id": "fwd-1"])
        #expect(forwarded.status == 404)
        #expect(forwarded.headers["x-request-id"] == "fwd-1")
        let error = try #require(forwarded.json?["error"] as? [String: Any])
        #expect(error["code"] as? String == "not_found")
        #expect(error["request_id"] as? String == "fwd-1")
        #expect(platform.log(.identity).contains("\"request_id\":\"fwd-1\""), "the request reached Identity with its id")

        let generated = try Curl.request("GET", gateway + "/api/v1/auth/nothing", headers: ["X-Request-Id": "bad id with spaces"])
        #expect(generated.headers["x-request-id"] != "bad id with spaces")
        #expect(generated.headers["x-request-id"]?.isEmpty == false)

        for path in ["/internal/agencies/6b1f0c1e-0000-4000-8000-000000000001", "/internal/events", "/unknown"] {
            let response = try Curl.request("PUT", gateway + path, body: "{}")
            #expect(response.status == 404, "\(path) is not reachable through the Gateway")
        }
        #expect(!platform.log(.records).contains("/internal/agencies"), "nothing internal was forwarded")
    }

    @Test func servicesTrustForwardedForOnlyFromTheGateway() async throws {
        let platform = try await Platform.start([.identity, .gateway], probe: "/healthz")
        defer { platform.stop() }

        // Started together, the Gateway's first check of Identity may have come too
        // early (it checks every 2 s, and the probe above is only `/healthz`): until
        // it has seen Identity ready, it answers `503` without forwarding.
        let deadline = ContinuousClock.now + .seconds(10)
        while try Curl.request("GET", platform.url(.gateway) + "/api/v1/auth/via-gateway",
                               headers: ["X-Forwarded-For": "203.0.113.9", "X-Request-Id": "xff-gw"]).status == 503,
              ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(200))
        }
        _ = try Curl.request("GET", platform.url(.identity) + "/api/v1/auth/direct",
                             headers: ["X-Forwarded-For": "203.0.113.9", "X-Request-Id": "xff-direct"])
        let forged = try Curl.request("GET", platform.url(.identity) + "/api/v1/auth/forged",
                                      headers: ["X-Muster-Service-Credential": "not-a-credential", "X-Forwarded-For": "203.0.113.9"])
        #expect(forged.status == 401)

        platform.terminate(.identity)
        let lines = platform.log(.identity).split(separator: "\n")
        let viaGateway = try #require(lines.first { $0.contains("xff-gw") && $0.contains("\"message\":\"request\"") })
        let direct = try #require(lines.first { $0.contains("xff-direct") && $0.contains("\"message\":\"request\"") })
        // The Gateway replaced the client's spoofed header with the socket's peer.
        #expect(viaGateway.contains("\"client\":\"127.0.0.1\""))
        #expect(!viaGateway.contains("203.0.113.9"))
        // Without the Gateway's credential, the header is ignored.
        #expect(direct.contains("\"client\":\"127.0.0.1\""))
    }
}
