import Foundation
import MusterContracts
import MusterCore
import MusterHTTP
import MusterHTTPServer
import MusterService

/// The Gateway: the only public entry. TLS, routing to the instances of each
/// service, token checks at the edge, rate limits, security headers, the web
/// app's files, `/api/openapi.json` and the platform status for operators.
/// `/internal/*` is never reachable through it.
public struct GatewayApp: ServiceDefinition {
    public static let name = ServiceName.gateway

    public init() {}

    public var migrationsFolder: URL? { nil }

    /// The only public entry: every interface unless `MUSTER_GATEWAY_HOST` says otherwise.
    public var defaultHost: String { "0.0.0.0" }

    public func middleware(runtime: GatewayRuntime) throws -> [any Middleware] {
        runtime.edge.middleware
    }

    public func registerRoutes(on router: Router, runtime: GatewayRuntime) async throws {
        let context = runtime.context
        let started = ContinuousClock.now
        let version = context.configuration.version
        let directory = runtime.directory
        router.get(PlatformStatus.path, middleware: [context.userAuth, OperatorOnly()]) { _ in
            let uptime = Int(started.duration(to: .now).components.seconds)
            return try .json(PlatformStatus(directory: directory, version: version, uptimeSeconds: uptime))
        }
        let document = try OpenAPIDocument.load()
        router.get(OpenAPIDocument.path) { _ in .jsonBytes(document) }
        let proxy = ProxyRoute(routes: runtime.routes, proxy: runtime.proxy, userAuth: context.userAuth,
                               limits: runtime.limits, webApp: runtime.webApp, edge: runtime.edge)
        // Unrouted paths take a small body, so that it is the `404` that answers, not a `413`.
        router.fallback(bodyLimit: { _, path in runtime.routes.match(path)?.bodyLimit ?? 16 << 10 }, onLoop: proxy) { request in
            try await proxy.handle(request)
        }
    }

    public func listeners(_ standard: HTTPServer.Configuration, runtime: GatewayRuntime) throws -> [HTTPServer.Configuration] {
        let configuration = runtime.configuration
        var plain = standard
        // Twice as many loops as cores unless configured: the Gateway shares its host
        // with the services behind it, and a loop whose thread is preempted mid-turn
        // stalls all its connections; with more loops its threads mostly block in
        // epoll instead (bench/gateway: involuntary switches per request 0.32 -> 0.02,
        // throughput +6 %, p99 -30 %; four times as many is worse again).
        plain.eventLoops = runtime.context.configuration.eventLoops ?? 2 * HTTPServer.Configuration.coreCount
        plain.headerTimeout = .seconds(10)
        plain.bodyTimeout = .seconds(30)
        plain.maxConnectionsPerAddress = configuration.maxConnectionsPerAddress
        guard let tls = configuration.tls else { return [plain] }
        var secure = plain
        secure.port = configuration.tlsPort
        secure.tls = tls
        return [plain, secure]
    }

    /// `/readyz` and `/metrics` on an internal port only: the public one answers them `404`.
    public func adminListener(_ standard: HTTPServer.Configuration, runtime: GatewayRuntime) throws -> HTTPServer.Configuration? {
        var admin = standard
        admin.host = runtime.configuration.adminHost
        admin.port = runtime.configuration.adminPort
        admin.eventLoops = 1
        return admin
    }

    /// Ready when every service has at least one instance in rotation.
    public func readinessChecks(runtime: GatewayRuntime) -> [ReadinessCheck] {
        UpstreamDirectory.routed.map { service in
            ReadinessCheck(name: service.rawValue) {
                let upstreams = runtime.directory[service]
                return .init(name: service.rawValue, ok: upstreams.isReady,
                             detail: upstreams.isReady ? nil : "no instance of \(service.rawValue) is healthy")
            }
        }
    }

    public func backgroundTasks(runtime: GatewayRuntime) -> [BackgroundTask] {
        [BackgroundTask(name: "upstream-health") { await runtime.health.run() }]
    }
}

/// Platform operators only (`403` for anyone else).
struct OperatorOnly: Middleware {
    nonisolated(nonsending) func handle(_ request: HTTPRequest, next: Handler) async throws -> HTTPResponse {
        _ = try request.context.requireUser(anyOf: [.platformOperator])
        return try await next(request)
    }
}
