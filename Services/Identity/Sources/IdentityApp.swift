import Foundation
import MusterCore
import MusterHTTP
import MusterService

/// The Identity service: agencies, users, sessions and tokens.
public struct IdentityApp: ServiceDefinition {
    public static let name = ServiceName.identity

    public init() {}

    public var migrationsFolder: URL? { Bundle.module.url(forResource: "Migrations", withExtension: nil) }

    /// Identity creates its own agency schemas when it registers an agency.
    public var answersProvisioning: Bool { false }

    public func registerRoutes(on router: Router, context: ServiceContext) async throws {}
}
