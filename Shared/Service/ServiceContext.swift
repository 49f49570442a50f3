import MusterAuth
import MusterCore
import MusterDatabase
import MusterHTTPClient

/// The parts every service has, built once at start by `ServiceMain` from the
/// common configuration; a service's own parts live in its `ServiceRuntime`,
/// which holds this context.
public struct ServiceContext: Sendable {
    public let configuration: ServiceConfiguration
    public let logger: Logger
    public let metrics: MetricsRegistry
    /// This service's own database; nil only for the Gateway.
    public let database: DatabasePool?
    public let migrator: Migrator?
    /// The raw HTTP client (connection reuse, timeouts, retries).
    public let httpClient: HTTPClient
    /// Calls to other services, signed with this service's credential.
    public let peers: PeerClient
    public let credentials: ServiceCredentials
    /// Verifies users' access tokens (keys from Identity's JWKS, verified tokens cached).
    public let tokens: TokenVerifier

    public var service: ServiceName { configuration.service }

    /// Middleware for public routes: a valid user access token, else `401`.
    public var userAuth: UserAuthMiddleware { UserAuthMiddleware(verifier: tokens) }

    /// The database, for services that have one.
    public var db: DatabasePool {
        guard let database else { preconditionFailure("\(service.rawValue) has no database") }
        return database
    }
}
