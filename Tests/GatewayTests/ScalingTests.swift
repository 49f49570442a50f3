import Foundation
import MusterTestSupport
import Testing

/// Two real Records instances behind the Gateway: one is killed in the middle of
/// a load of idempotent requests and none of them fails (the Gateway retries on
/// the other instance and takes the dead one out); restarted, it rejoins.
@Suite(.serialized) struct ScalingTests {
    @Test func killingAnInstanceMidLoadFailsNoIdempotentRequestAndItRejoins() async throws {
        let issuer = try StandInService()
        let platform = try await Platform.start([.records], extraEnvironment: ["MUSTER_IDENTITY_URL": issuer.url])
        defer { platform.stop() }
        let first = platform.url(.records)
        let secondPort = TestEnvironment.freePort()
        var secondEnvironment = platform.environment
        secondEnvironment["MUSTER_RECORDS_PORT"] = String(secondPort)
        var second = try await ServiceProcess("records", port: secondPort, environment: secondEnvironment, probe: "/readyz")
        let gateway = try await ServiceProcess.gateway(upstream: issuer.url, base: platform.environment, extra: [
            "MUSTER_RECORDS_URL": "\(first),\(second.url)", "MUSTER_RATE_LIMITS": "off", "MUSTER_GATEWAY_HEALTH_INTERVAL_MS": "200",
            "MUSTER_GATEWAY_BREAKER_OPEN_MS": "1000",
        ])
        defer { gateway.stop(); gateway.removeLog() }
        let token = try issuer.token()

        // Four keep-alive clients, 400 GETs each; the second instance dies a moment in.
        let loads = try (0..<4).map { client in try Load(gateway: gateway.url, token: token, client: client, count: 400) }
        try await Task.sleep(for: .milliseconds(400))
        second.stop(signal: SIGKILL)
        let statuses = loads.flatMap { $0.finish() }
        #expect(statuses.count == 1600)
        let failures = statuses.filter { $0 != 404 }
        #expect(failures.isEmpty, "every request was answered by a Records instance: \(Dictionary(grouping: failures) { $0 }.mapValues(\.count))")
        // Noticed by a failed request (then retried) or by an active check, whichever came first.
        func noticed() -> Bool { gateway.log.contains("upstream request failed") || gateway.log.contains("upstream out of rotation") }
        let noticeDeadline = ContinuousClock.now + .seconds(5)
        while !noticed(), ContinuousClock.now < noticeDeadline { try await Task.sleep(for: .milliseconds(100)) }
        #expect(noticed())

        // Back on the same port: the active checks put it back into rotation.
        second.removeLog()
        second = try await ServiceProcess("records", port: secondPort, environment: secondEnvironment, probe: "/readyz")
        defer { second.stop(); second.removeLog() }
        let deadline = ContinuousClock.now + .seconds(10)
        func inRotation() throws -> Bool {
            let metrics = try Curl.request("GET", gateway.adminURL + "/metrics").body
            return metrics.contains("gateway_upstream_healthy{service=\"records\",instance=\"\(second.url)\"} 1")
                && metrics.contains("gateway_upstream_breaker_state{service=\"records\",instance=\"\(second.url)\"} 0")
        }
        while ContinuousClock.now < deadline, !(try inRotation()) { try await Task.sleep(for: .milliseconds(100)) }
        #expect(try inRotation())
        let after = try Load(gateway: gateway.url, token: token, client: 9, count: 60, path: "rejoined").finish()
        #expect(after.allSatisfy { $0 == 404 })
        #expect(second.log.contains("/api/v1/records/rejoined"), "the restarted instance takes requests again")
        await issuer.stop()
    }
}

/// `count` sequential GETs over one keep-alive connection, by one real curl process.
struct Load {
    let process: Process
    let output: Pipe

    init(gateway: String, token: String, client: Int, count: Int, path: String = "load") throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        process.arguments = ["-s", "-H", "Authorization: Bearer \(token)", "-w", "%{http_code}\n", "--max-time", "30"]
            + (0..<count).flatMap { ["-o", "/dev/null", "\(gateway)/api/v1/records/\(path)-\(client)-\($0)"] }
        output = Pipe()
        process.standardOutput = output
        try process.run()
    }

    /// Waits for the client and returns each request's status (0 for a transport failure).
    func finish() -> [Int] {
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map { Int($0) ?? 0 }
    }
}
