import Foundation
import MusterCore
import MusterHTTP
import MusterContracts
import MusterAuth

/// What a service brings to the common runner (`ServiceMain`): its name, its
/// migrations, its routes, its background work and its admin subcommands.
///
/// ```swift
/// struct RecordsApp: ServiceDefinition {
///     static let name = ServiceName.records
///     var migrationsFolder: URL? { Bundle.module.url(forResource: "Migrations", withExtension: nil) }
///     func registerRoutes(on router: Router, context: ServiceContext) throws { … }
/// }
/// ServiceMain.run(RecordsApp())
/// ```
public protocol ServiceDefinition: Sendable {
    static var name: ServiceName { get }

    /// The folder of versioned SQL migrations (`platform/`, `agency/`); nil for the Gateway.
    var migrationsFolder: URL? { get }

    /// Whether Identity provisions this service's agency schemas through
    /// `PUT /internal/agencies/{id}` (Identity provisions its own directly).
    var answersProvisioning: Bool { get }

    /// Registers the service's routes (public ones under `/api/v1`, internal ones under `/internal`).
    func registerRoutes(on router: Router, context: ServiceContext) async throws

    /// Called after `PUT /internal/agencies/{id}` created (or confirmed) the agency's
    /// schema, e.g. to remember the agency's name; must be idempotent.
    func agencyProvisioned(_ agency: AgencyID, _ request: ProvisionAgencyRequest, context: ServiceContext) async throws

    /// Extra readiness checks (peers this service cannot work without).
    func readinessChecks(context: ServiceContext) -> [ReadinessCheck]

    /// Long-running work started with the server and cancelled at shutdown (relays, schedulers).
    func backgroundTasks(context: ServiceContext) -> [BackgroundTask]

    /// Service-specific admin subcommands, beside `serve` and `migrate`.
    var commands: [ServiceCommand] { get }

    /// Middleware around every request, outermost first. The default counts and
    /// logs requests and trusts `X-Forwarded-For` from the Gateway only; the
    /// Gateway itself brings its own (it is where those headers are set).
    func middleware(context: ServiceContext) throws -> [any Middleware]

    /// The listeners to serve on, given the one the configuration describes
    /// (the Gateway adds a TLS port).
    func listeners(_ standard: HTTPServer.Configuration, context: ServiceContext) throws -> [HTTPServer.Configuration]
}

extension ServiceDefinition {
    public var answersProvisioning: Bool { migrationsFolder != nil }
    public func agencyProvisioned(_ agency: AgencyID, _ request: ProvisionAgencyRequest, context: ServiceContext) async throws {}
    public func readinessChecks(context: ServiceContext) -> [ReadinessCheck] { [] }
    public func backgroundTasks(context: ServiceContext) -> [BackgroundTask] { [] }
    public var commands: [ServiceCommand] { [] }
    public func middleware(context: ServiceContext) throws -> [any Middleware] {
        [RequestMetricsMiddleware(metrics: context.metrics, logger: context.logger),
         ForwardedClientMiddleware(verifier: context.credentials.verifier)]
    }
    public func listeners(_ standard: HTTPServer.Configuration, context: ServiceContext) throws -> [HTTPServer.Configuration] {
        [standard]
    }
}

/// A named readiness probe.
public struct ReadinessCheck: Sendable {
    public let name: String
    public let probe: @Sendable () async -> ReadinessReport.Check

    public init(name: String, probe: @escaping @Sendable () async -> ReadinessReport.Check) {
        self.name = name
        self.probe = probe
    }
}

/// Work that runs for the life of the server; it must return promptly when cancelled.
public struct BackgroundTask: Sendable {
    public let name: String
    public let run: @Sendable () async -> Void

    public init(name: String, run: @escaping @Sendable () async -> Void) {
        self.name = name
        self.run = run
    }
}

/// An admin subcommand, e.g. `identity create-operator --email E`.
public struct ServiceCommand: Sendable {
    public let name: String
    public let summary: String
    /// Receives the arguments after the command name; returns the process exit code.
    public let run: @Sendable (ServiceContext, [String]) async throws -> Int32

    public init(name: String, summary: String, run: @escaping @Sendable (ServiceContext, [String]) async throws -> Int32) {
        self.name = name
        self.summary = summary
        self.run = run
    }
}
