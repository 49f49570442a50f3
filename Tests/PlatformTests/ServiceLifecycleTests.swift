import Foundation
import MusterTestSupport
import Testing

/// The five real service binaries against the test PostgreSQL: they start, answer
/// the operational endpoints, and stop cleanly.
@Suite(.serialized) struct ServiceLifecycleTests {
    @Test func everyServiceAnswersHealthReadinessAndMetrics() async throws {
        let platform = try await Platform.start()
        defer { platform.stop() }
        for service in Platform.Service.allCases {
            let health = try Curl.request("GET", platform.url(service) + "/healthz")
            #expect(health.status == 200, "\(service) /healthz")
            #expect(health.json?["service"] as? String == service.rawValue)

            let ready = try Curl.request("GET", platform.operationsURL(service) + "/readyz")
            #expect(ready.status == 200, "\(service) /readyz: \(ready.body)")
            #expect(ready.json?["status"] as? String == "ready")

            let metrics = try Curl.request("GET", platform.operationsURL(service) + "/metrics")
            #expect(metrics.status == 200)
            #expect(metrics.headers["content-type"]?.hasPrefix("text/plain") == true)
            #expect(metrics.body.contains("http_requests_total{route=\"GET /healthz\",status=\"200\"} 1"), "\(service) metrics")
            #expect(metrics.body.contains("http_request_duration_seconds_bucket{route=\"GET /healthz\",status=\"200\",le=\"+Inf\"} 1"))
            if service != .gateway {
                #expect(metrics.body.contains("muster_db_connections{state=\"idle\"}") && metrics.body.contains("muster_db_waiters"), "\(service) pool gauges")
            }
            #expect(health.headers["x-request-id"]?.isEmpty == false)
        }
        for service in Platform.Service.allCases {
            #expect(platform.terminate(service) == 0, "\(service) exits 0 on SIGTERM")
        }
    }

    @Test func logsAreJSONLinesWithServiceAndRequestID() async throws {
        let platform = try await Platform.start([.records])
        defer { platform.stop() }
        _ = try Curl.request("GET", platform.url(.records) + "/api/v1/records/nothing-here",
                             headers: ["X-Request-Id": "trace-logs-1"])
        platform.terminate(.records)
        let lines = platform.log(.records).split(separator: "\n")
        #expect(!lines.isEmpty)
        for line in lines {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(line)")
            #expect(object["time"] is String && object["level"] is String && object["message"] is String)
            #expect(object["service"] as? String == "records")
        }
        #expect(lines.contains { $0.contains("\"request_id\":\"trace-logs-1\"") })
    }

    @Test func sigtermLetsARequestInFlightFinish() async throws {
        // A peer that accepts connections and never answers makes a request the
        // Gateway forwards to it slow: a real request still in flight when SIGTERM arrives.
        let blackHole = try BlackHoleListener()
        defer { blackHole.close() }
        let platform = try await Platform.start([.gateway], extraEnvironment: [
            "MUSTER_IDENTITY_URL": "http://127.0.0.1:\(blackHole.port)",
            "MUSTER_GATEWAY_UPSTREAM_TIMEOUT_MS": "1500",
        ], probe: "/healthz")
        defer { platform.stop() }
        let started = ContinuousClock.now
        async let slow = Task.detached { try Curl.request("GET", platform.url(.gateway) + "/api/v1/auth/slow") }.value
        try await Task.sleep(for: .milliseconds(400))
        let exitStatus = platform.terminate(.gateway)
        let response = try await slow
        #expect(response.status == 504, "the in-flight request completes (its upstream timed out): \(response.body)")
        #expect(exitStatus == 0)
        #expect(started.duration(to: .now) > .milliseconds(1000))
        #expect(throws: (any Error).self) { try Curl.request("GET", platform.url(.gateway) + "/healthz", extra: ["--max-time", "2"]) }
    }
}
