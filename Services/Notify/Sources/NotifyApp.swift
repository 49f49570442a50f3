import Foundation
import MusterCore
import MusterHTTP
import MusterService

/// The Notify service: its migrations and routes, run by `ServiceMain`.
public struct NotifyApp: ServiceDefinition {
    public static let name = ServiceName.notify

    public init() {}

    public var migrationsFolder: URL? { Bundle.module.url(forResource: "Migrations", withExtension: nil) }

    public func registerRoutes(on router: Router, context: ServiceContext) async throws {}
}
