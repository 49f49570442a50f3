import Foundation
import MusterCore
import MusterHTTP
import MusterService

/// The Records service, run by `ServiceMain`: today its migrations and the agency
/// provisioning every service answers; its routes and jobs get `RecordsRuntime`.
public struct RecordsApp: ServiceDefinition {
    public static let name = ServiceName.records

    public init() {}

    public var migrationsFolder: URL? { Bundle.module.url(forResource: "Migrations", withExtension: nil) }

    public func registerRoutes(on router: Router, runtime: RecordsRuntime) async throws {}
}
