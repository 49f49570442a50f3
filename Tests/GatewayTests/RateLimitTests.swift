import Foundation
import MusterTestSupport
import Testing

/// Sign-in bursts are limited per client address: one address is refused with
/// `429`, `Retry-After` and `RateLimit-*`, while another is unaffected.
@Suite struct RateLimitTests {
    @Test func aBurstOfLoginsFromOneAddressIsLimitedAndAnotherAddressIsNot() async throws {
        let upstream = try StandInService()
        let gateway = try await ServiceProcess.gateway(upstream: upstream.url, extra: ["MUSTER_GATEWAY_RATE_LIMIT_AUTH": "60/60s:5"])
        defer { gateway.stop(); gateway.removeLog() }

        func login(from address: String) throws -> CurlResponse {
            try Curl.request("POST", gateway.url + "/api/v1/auth/login", headers: ["Content-Type": "application/json"],
                             body: #"{"email":"officer@metro.test","password":"x"}"#, extra: ["--interface", address])
        }
        var statuses: [Int] = []
        var refused: CurlResponse?
        for _ in 0..<7 {
            let response = try login(from: "127.0.0.2")
            statuses.append(response.status)
            if response.status == 429 { refused = response }
        }
        #expect(statuses.prefix(5).allSatisfy { $0 == 200 }, "the burst is allowed: \(statuses)")
        #expect(statuses.suffix(2).allSatisfy { $0 == 429 }, "beyond it, refused: \(statuses)")
        let limited = try #require(refused)
        #expect(Int(limited.headers["retry-after"] ?? "") ?? 0 >= 1)
        #expect(limited.headers["ratelimit-limit"] == "5")
        #expect(limited.headers["ratelimit-remaining"] == "0")
        #expect(limited.headers["ratelimit-reset"] != nil)
        #expect(limited.json.flatMap { $0["error"] as? [String: Any] }?["code"] as? String == "rate_limited")

        let other = try login(from: "127.0.0.3")
        #expect(other.status == 200, "another address has its own bucket")
        #expect(other.headers["ratelimit-remaining"] == "4")
        #expect(try Curl.request("GET", gateway.adminURL + "/metrics").body.contains("gateway_rate_limited_total{limit=\"address\"} 2"))
        await upstream.stop()
    }
}
