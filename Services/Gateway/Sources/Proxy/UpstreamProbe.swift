import MusterContracts
import MusterCore
import MusterHTTP
import MusterHTTPClient
import MusterService

/// Readiness of the services behind the Gateway: at least one instance answers `/readyz`.
enum UpstreamProbe {
    static func check(_ service: ServiceName, context: ServiceContext) async -> ReadinessReport.Check {
        var failures: [String] = []
        for base in context.configuration.peers.urls(for: service) {
            do {
                let response = try await context.httpClient.send(HTTPClientRequest(method: .get, url: base + "/readyz"))
                if response.status == .ok { return .init(name: service.rawValue, ok: true) }
                failures.append("\(base): \(response.status)")
            } catch {
                failures.append("\(base): \(error)")
            }
        }
        return .init(name: service.rawValue, ok: false, detail: failures.joined(separator: "; "))
    }
}
