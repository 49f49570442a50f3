import Foundation
import MusterAuth
import MusterCore
import MusterHTTP
import MusterHTTPUpstream
import MusterService
import MusterTime

/// Everything the Gateway builds once at start and its hooks share: its
/// configuration, route table, upstream instances, proxy, limits, web app, edge.
public struct GatewayRuntime: ServiceRuntime {
    public let context: ServiceContext
    let configuration: GatewayConfiguration
    let routes: RouteTable
    let directory: UpstreamDirectory
    let proxy: ServiceProxy
    let limits: RateLimits?
    let webApp: WebApp
    let health: HealthChecker
    let edge: Edge

    public init(context: ServiceContext) throws {
        let configuration = try GatewayConfiguration(environment: context.configuration.environment)
        self.context = context
        self.configuration = configuration
        routes = RouteTable.standard(defaultTimeout: configuration.upstreamTimeout)
        directory = try UpstreamDirectory(urls: context.configuration.peers.urls(for:),
                                          breaker: CircuitBreaker(failureThreshold: configuration.breakerFailures,
                                                                  openSeconds: configuration.breakerOpenSeconds))
        let client = UpstreamClient(configuration: .init(connectTimeout: configuration.connectTimeout))
        proxy = ServiceProxy(directory: directory, client: client, signer: context.credentials.signer,
                             trustedProxies: configuration.trustedProxies)
        limits = configuration.rateLimitsEnabled ? RateLimits(configuration: configuration, metrics: context.metrics) : nil
        webApp = try WebApp(root: WebApp.root(configured: configuration.webRoot))
        health = HealthChecker(directory: directory, client: context.httpClient, interval: configuration.healthInterval,
                               logger: context.logger)
        edge = Edge(accessLog: AccessLog(metrics: context.metrics, logger: context.logger),
                    headers: ResponseHeaders(corsOrigins: configuration.corsOrigins, hsts: configuration.tls != nil),
                    pathGuard: PathGuard(redirectPort: configuration.tls == nil ? nil : configuration.tlsPort))
        if webApp.isEmpty { context.logger.warning("no web app files found; set MUSTER_WEB_ROOT") }
        Self.registerMetrics(directory, in: context.metrics)
    }

    /// `gateway_upstream_healthy`, `gateway_upstream_breaker_state` (0 closed, 1 half-open, 2 open),
    /// `gateway_upstream_outstanding_requests`, per service and instance.
    private static func registerMetrics(_ directory: UpstreamDirectory, in metrics: MetricsRegistry) {
        metrics.addCollector {
            let now = CoarseClock.seconds
            return directory.all.flatMap { instance -> [MetricsRegistry.GaugeSample] in
                let snapshot = instance.snapshot(now: now)
                let labels = [("service", instance.service.rawValue), ("instance", snapshot.url)]
                return [
                    .init(name: "gateway_upstream_healthy", help: "1 when the instance passed its last /readyz check.",
                          labels: labels, value: snapshot.healthy ? 1 : 0),
                    .init(name: "gateway_upstream_breaker_state", help: "Circuit breaker: 0 closed, 1 half-open, 2 open.",
                          labels: labels, value: snapshot.breaker.gauge),
                    .init(name: "gateway_upstream_outstanding_requests", help: "Requests in flight to the instance.",
                          labels: labels, value: Double(snapshot.outstanding)),
                ]
            }
        }
    }
}
