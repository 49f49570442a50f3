import Foundation
import MusterTestSupport
import Testing

/// The Gateway's public port serves the API, the web app and `/healthz` only:
/// `/metrics` (every route's counts and latencies, every instance's health) and
/// `/readyz` are the JSON `404` there, and its internal admin listener
/// (`MUSTER_GATEWAY_ADMIN_PORT`) serves them — and nothing of the API.
@Suite struct AdminListenerTests {
    @Test func metricsAndReadinessAreOnTheAdminPortOnly() async throws {
        try await EdgeTests.withGateway { gateway, upstream in
            for path in ["/metrics", "/readyz", "/metrics?format=text"] {
                let refused = try Curl.request("GET", gateway.url + path)
                #expect(refused.status == 404, "public \(path)")
                #expect(refused.headers["content-type"]?.hasPrefix("application/json") == true, "public \(path)")
                #expect((refused.json?["error"] as? [String: Any])?["code"] as? String == "not_found", "public \(path)")
                #expect(!refused.body.contains("http_requests_total") && !refused.body.contains("<title>"), "public \(path)")
            }
            #expect(try Curl.request("GET", gateway.url + "/healthz").status == 200)

            let metrics = try Curl.request("GET", gateway.adminURL + "/metrics")
            #expect(metrics.status == 200)
            #expect(metrics.headers["content-type"]?.hasPrefix("text/plain") == true)
            #expect(metrics.body.contains("gateway_upstream_healthy{service=\"records\",instance=\"\(upstream.url)\"}"))
            #expect(metrics.body.contains("http_requests_total{route=\"GET /healthz\",status=\"200\"}"))
            let ready = try Curl.request("GET", gateway.adminURL + "/readyz")
            #expect(ready.status == 200 && ready.json?["service"] as? String == "gateway", "\(ready.body)")
            #expect(try Curl.request("GET", gateway.adminURL + "/healthz").status == 200)
            for path in ["/api/v1/auth/echo", "/", "/api/openapi.json"] {
                #expect(try Curl.request("GET", gateway.adminURL + path).status == 404, "admin \(path)")
            }
        }
    }
}
