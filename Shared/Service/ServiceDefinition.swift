import Foundation
import MusterAuth
import MusterContracts
import MusterCore
import MusterHTTP
import MusterHTTPServer

/// What a service brings to the common runner (`ServiceMain`): its name, its
/// migrations, the runtime it builds once, and what it does with that runtime —
/// routes, background work and admin subcommands. What sets one service apart
/// from the others in the common runner is a property here, never a test of its name.
///
/// ```swift
/// public struct RecordsApp: ServiceDefinition {
///     public static let name = ServiceName.records
///     public var migrationsFolder: URL? { Bundle.module.url(forResource: "Migrations", withExtension: nil) }
///
///     public func registerRoutes(on router: Router, runtime: RecordsRuntime) async throws {
///         router.group("/api/v1/records", middleware: [runtime.context.userAuth]) { api in
///             CertificationRoutes.register(on: api, runtime: runtime)
///         }
///     }
///
///     public func backgroundTasks(runtime: RecordsRuntime) -> [BackgroundTask] {
///         runtime.context.outboxRelays()
///     }
/// }
/// await ServiceMain.run(RecordsApp())
/// ```
public protocol ServiceDefinition: Sendable {
    /// The service's parts, built once by `ServiceMain` and handed to every hook below.
    associatedtype Runtime: ServiceRuntime

    static var name: ServiceName { get }

    /// The folder of versioned SQL migrations (`platform/`, `agency/`). A service
    /// with migrations has its own database (`MUSTER_<SERVICE>_DATABASE_URL` is
    /// required); nil — the Gateway — has none.
    var migrationsFolder: URL? { get }

    /// Whether Identity provisions this service's agency schemas through
    /// `PUT /internal/agencies/{id}` (Identity provisions its own directly).
    var answersProvisioning: Bool { get }

    /// Whether the service follows Identity's revoked sessions and suspended agencies
    /// with a `RevocationPoller` (Identity itself reads them from its database on each request).
    var pollsRevocations: Bool { get }

    /// The interface to listen on unless `MUSTER_<SERVICE>_HOST` names one: the
    /// loopback for services behind the Gateway, every interface for the Gateway.
    var defaultHost: String { get }

    /// Registers the service's routes (public ones under `/api/v1`, internal ones under `/internal`).
    func registerRoutes(on router: Router, runtime: Runtime) async throws

    /// Called after `PUT /internal/agencies/{id}` created (or confirmed) the agency's
    /// schema, e.g. to remember the agency's name; must be idempotent.
    func agencyProvisioned(_ agency: AgencyID, _ request: ProvisionAgencyRequest, runtime: Runtime) async throws

    /// Extra readiness checks (peers this service cannot work without).
    func readinessChecks(runtime: Runtime) -> [ReadinessCheck]

    /// Long-running work started with the server and cancelled at shutdown (relays, schedulers).
    func backgroundTasks(runtime: Runtime) -> [BackgroundTask]

    /// Service-specific admin subcommands, beside `serve` and `migrate`.
    var commands: [ServiceCommand<Runtime>] { get }

    /// Middleware around every request, outermost first. The default counts and
    /// logs requests and trusts `X-Forwarded-For` from the Gateway only; the
    /// Gateway itself brings its own (it is where those headers are set).
    func middleware(runtime: Runtime) throws -> [any Middleware]

    /// The listeners to serve on, given the one the configuration describes
    /// (the Gateway adds a TLS port).
    func listeners(_ standard: HTTPServer.Configuration, runtime: Runtime) throws -> [HTTPServer.Configuration]

    /// An internal listener for operators and probes, or nil. With one, `/readyz` and
    /// `/metrics` are served there only (with `/healthz`), and the public listeners
    /// answer just `/healthz` of the three: the Gateway's instance health and route
    /// latencies are not for anyone on the internet.
    func adminListener(_ standard: HTTPServer.Configuration, runtime: Runtime) throws -> HTTPServer.Configuration?
}

extension ServiceDefinition {
    public var answersProvisioning: Bool { migrationsFolder != nil }
    public var pollsRevocations: Bool { true }
    public var defaultHost: String { "127.0.0.1" }
    public func agencyProvisioned(_ agency: AgencyID, _ request: ProvisionAgencyRequest, runtime: Runtime) async throws {}
    public func readinessChecks(runtime: Runtime) -> [ReadinessCheck] { [] }
    public func backgroundTasks(runtime: Runtime) -> [BackgroundTask] { [] }
    public var commands: [ServiceCommand<Runtime>] { [] }
    public func middleware(runtime: Runtime) throws -> [any Middleware] {
        let context = runtime.context
        return [RequestMetricsMiddleware(metrics: context.metrics, logger: context.logger),
                ForwardedClientMiddleware(verifier: context.credentials.verifier)]
    }
    public func listeners(_ standard: HTTPServer.Configuration, runtime: Runtime) throws -> [HTTPServer.Configuration] {
        [standard]
    }
    public func adminListener(_ standard: HTTPServer.Configuration, runtime: Runtime) throws -> HTTPServer.Configuration? {
        nil
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

/// An admin subcommand, e.g. `identity create-operator --email E`; it runs with
/// the service's runtime, built as for `serve` but without migrating first.
///
/// ```swift
/// ServiceCommand<AuditRuntime>(name: "rotate-key", summary: "make a new checkpoint-signing key active") { audit, _ in
///     print(try await audit.keys.rotate().kid)
///     return 0
/// }
/// ```
public struct ServiceCommand<Runtime: ServiceRuntime>: Sendable {
    public let name: String
    public let summary: String
    /// Receives the arguments after the command name; returns the process exit code.
    public let run: @Sendable (Runtime, [String]) async throws -> Int32

    public init(name: String, summary: String, run: @escaping @Sendable (Runtime, [String]) async throws -> Int32) {
        self.name = name
        self.summary = summary
        self.run = run
    }
}
