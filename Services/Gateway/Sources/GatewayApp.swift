import Foundation
import MusterContracts
import MusterCore
import MusterHTTP
import MusterService

/// The Gateway: the only public entry. Forwards `/api/v1/*` to the service that owns
/// the path; `/internal/*` is never reachable through it.
public struct GatewayApp: ServiceDefinition {
    public static let name = ServiceName.gateway

    public init() {}

    public var migrationsFolder: URL? { nil }

    public func registerRoutes(on router: Router, context: ServiceContext) async throws {
        let proxy = ServiceProxy(routes: .standard, context: context)
        router.fallback { request in try await proxy.forward(request) }
    }

    public func readinessChecks(context: ServiceContext) -> [ReadinessCheck] {
        [ServiceName.identity, .records, .audit, .notify].map { service in
            ReadinessCheck(name: service.rawValue) {
                await UpstreamProbe.check(service, context: context)
            }
        }
    }
}
