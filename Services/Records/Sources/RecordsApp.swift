import Foundation
import MusterCore
import MusterHTTP
import MusterService

/// The Records service: its migrations and routes, run by `ServiceMain`.
public struct RecordsApp: ServiceDefinition {
    public static let name = ServiceName.records

    public init() {}

    public var migrationsFolder: URL? { Bundle.module.url(forResource: "Migrations", withExtension: nil) }

    public func registerRoutes(on router: Router, context: ServiceContext) async throws {}
}
