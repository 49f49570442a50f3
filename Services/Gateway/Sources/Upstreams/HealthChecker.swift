import Foundation
import MusterContracts
import MusterCore
import MusterHTTPClient
import MusterTime

/// Asks every instance's `/readyz` every interval, in parallel: an instance that
/// fails is taken out of rotation, and put back once it answers `200` again.
struct HealthChecker: Sendable {
    let directory: UpstreamDirectory
    let client: HTTPClient
    let interval: Duration
    let logger: Logger

    func run() async {
        while !Task.isCancelled {
            await checkAll()
            try? await Task.sleep(for: interval)
        }
    }

    func checkAll() async {
        await withTaskGroup(of: Void.self) { group in
            for instance in directory.all {
                group.addTask { await check(instance) }
            }
        }
    }

    private func check(_ instance: UpstreamInstance) async {
        var request = HTTPClientRequest(method: .get, url: instance.endpoint.url + "/readyz")
        request.timeout = min(interval, .seconds(2))
        request.connectTimeout = .seconds(1)
        let wasAvailable = instance.isAvailable
        let now = CoarseClock.seconds
        do {
            let response = try await client.send(request)
            let report = try? JSONCoding.decode(ReadinessReport.self, from: response.body)
            let healthy = response.status == .ok
            let detail = healthy ? nil : report?.checks.filter { !$0.ok }.map { "\($0.name): \($0.detail ?? "failed")" }
                .joined(separator: "; ") ?? "status \(response.status.rawValue)"
            instance.checked(healthy: healthy, detail: detail, version: report?.version, uptimeSeconds: report?.uptimeSeconds, now: now)
        } catch {
            instance.checked(healthy: false, detail: "\(error)", version: nil, uptimeSeconds: nil, now: now)
        }
        if wasAvailable != instance.isAvailable {
            logger.log(instance.isAvailable ? .info : .warning, instance.isAvailable ? "upstream back in rotation" : "upstream out of rotation",
                       ["service": instance.service.rawValue, "instance": instance.endpoint.url])
        }
    }
}
