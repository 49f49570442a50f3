import MusterCore
import MusterHTTP
import MusterHTTPServer

/// The Gateway's own settings (README.md's configuration table), read once at start.
public struct GatewayConfiguration: Sendable {
    /// `MUSTER_TLS_CERT` / `MUSTER_TLS_KEY`: PEM chain and key; HTTPS on `tlsPort` when both are set.
    public let tls: TLSConfiguration?
    /// `MUSTER_GATEWAY_TLS_PORT` (8443).
    public let tlsPort: Int
    /// `MUSTER_GATEWAY_ADMIN_HOST` (`127.0.0.1`) / `MUSTER_GATEWAY_ADMIN_PORT` (9080): the internal
    /// listener for `/readyz` and `/metrics` (probes, Prometheus), never published.
    public let adminHost: String
    public let adminPort: Int
    /// `MUSTER_GATEWAY_TRUSTED_PROXIES`: CIDR ranges whose `X-Forwarded-For`/`-Proto` are believed.
    public let trustedProxies: AddressRanges
    /// `MUSTER_GATEWAY_CORS_ORIGINS`: origins allowed to call the API from a browser.
    public let corsOrigins: Set<String>
    /// `MUSTER_RATE_LIMITS` (`on`): `off` disables the Gateway's limits (benchmarks, tests).
    public let rateLimitsEnabled: Bool
    /// `MUSTER_GATEWAY_RATE_LIMIT_AUTH` (`60/60s:20`): per client address on `/api/v1/auth/*`.
    public let authLimit: RateLimit
    /// `MUSTER_GATEWAY_RATE_LIMIT_USER` (`1200/60s:300`): per user elsewhere.
    public let userLimit: RateLimit
    /// `MUSTER_GATEWAY_RATE_LIMIT_AGENCY` (`12000/60s:3000`): per agency elsewhere.
    public let agencyLimit: RateLimit
    /// `MUSTER_GATEWAY_UPSTREAM_TIMEOUT_MS` (30000): time to a response head; some routes get more.
    public let upstreamTimeout: Duration
    /// `MUSTER_GATEWAY_CONNECT_TIMEOUT_MS` (1000).
    public let connectTimeout: Duration
    /// `MUSTER_GATEWAY_HEALTH_INTERVAL_MS` (2000): active `/readyz` checks of every instance.
    public let healthInterval: Duration
    /// `MUSTER_GATEWAY_BREAKER_FAILURES` (5) failures in a row open an instance's breaker
    /// for `MUSTER_GATEWAY_BREAKER_OPEN_MS` (10000).
    public let breakerFailures: Int
    public let breakerOpenSeconds: Double
    /// `MUSTER_GATEWAY_MAX_CONNECTIONS_PER_ADDRESS` (256).
    public let maxConnectionsPerAddress: Int
    /// `MUSTER_WEB_ROOT`: the web app's served tree, built by `deploy/dev/build-web.py` (default: `.build/web` of a checkout).
    public let webRoot: String?

    public init(environment: Environment) throws {
        let certificate = environment["MUSTER_TLS_CERT"], key = environment["MUSTER_TLS_KEY"]
        if (certificate == nil) != (key == nil) {
            throw ConfigurationError(variable: certificate == nil ? "MUSTER_TLS_CERT" : "MUSTER_TLS_KEY",
                                     problem: "MUSTER_TLS_CERT and MUSTER_TLS_KEY are set together")
        }
        tls = certificate.flatMap { certificate in key.map { TLSConfiguration(certificateChainFile: certificate, privateKeyFile: $0) } }
        tlsPort = try environment.int("MUSTER_GATEWAY_TLS_PORT", default: 8443)
        adminHost = environment.string("MUSTER_GATEWAY_ADMIN_HOST", default: "127.0.0.1")
        adminPort = try environment.int("MUSTER_GATEWAY_ADMIN_PORT", default: 9080)
        do {
            trustedProxies = try AddressRanges(parsing: environment.list("MUSTER_GATEWAY_TRUSTED_PROXIES"))
        } catch {
            throw ConfigurationError(variable: "MUSTER_GATEWAY_TRUSTED_PROXIES", problem: error.description)
        }
        corsOrigins = Set(environment.list("MUSTER_GATEWAY_CORS_ORIGINS"))
        rateLimitsEnabled = environment.string("MUSTER_RATE_LIMITS", default: "on") != "off"
        authLimit = try Self.limit(environment, "MUSTER_GATEWAY_RATE_LIMIT_AUTH", default: "60/60s:20")
        userLimit = try Self.limit(environment, "MUSTER_GATEWAY_RATE_LIMIT_USER", default: "1200/60s:300")
        agencyLimit = try Self.limit(environment, "MUSTER_GATEWAY_RATE_LIMIT_AGENCY", default: "12000/60s:3000")
        upstreamTimeout = .milliseconds(try environment.int("MUSTER_GATEWAY_UPSTREAM_TIMEOUT_MS", default: 30_000))
        connectTimeout = .milliseconds(try environment.int("MUSTER_GATEWAY_CONNECT_TIMEOUT_MS", default: 1000))
        healthInterval = .milliseconds(try environment.int("MUSTER_GATEWAY_HEALTH_INTERVAL_MS", default: 2000))
        breakerFailures = try environment.int("MUSTER_GATEWAY_BREAKER_FAILURES", default: 5)
        breakerOpenSeconds = Double(try environment.int("MUSTER_GATEWAY_BREAKER_OPEN_MS", default: 10_000)) / 1000
        maxConnectionsPerAddress = try environment.int("MUSTER_GATEWAY_MAX_CONNECTIONS_PER_ADDRESS", default: 256)
        webRoot = environment["MUSTER_WEB_ROOT"]
    }

    private static func limit(_ environment: Environment, _ variable: String, default fallback: String) throws -> RateLimit {
        let text = environment.string(variable, default: fallback)
        guard let limit = RateLimit(parsing: text) else {
            throw ConfigurationError(variable: variable, problem: "\(text.debugDescription) is not COUNT/SECONDSs:BURST")
        }
        return limit
    }
}
