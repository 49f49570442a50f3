import Foundation
import MusterAuth
import MusterContracts
import MusterCore
import MusterCrypto
import MusterHTTP
import MusterHTTPServer
import MusterTime

// The service behind the proxies in bench/gateway: a small JSON route, open
// (`/api/v1/auth/ping`) and behind a user token that it verifies itself as every
// service does (`/api/v1/records/ping`), plus the JWKS and `/readyz` the Gateway
// uses. Prints an access token for wrk to `BENCH_TOKEN_FILE`.
let environment = Environment()
let port = try environment.int("BENCH_UPSTREAM_PORT", default: 18700)
let loops = try environment.int("BENCH_UPSTREAM_LOOPS", default: HTTPServer.Configuration.coreCount)
let key = JWTSigningKey(privateKey: Ed25519.PrivateKey())
let jwks = try JWKSet(signingKeys: [key]).encoded()

struct FixedKeys: KeySource {
    let set: JWKSet
    func fetchKeys() async throws -> JWKSet { set }
}
let verifier = TokenVerifier(issuer: AccessTokenConventions.issuer, audience: AccessTokenConventions.audience,
                             keySource: FixedKeys(set: try JWKSet.decode(jwks)))
try await verifier.refreshKeys()

let body = Array(#"{"status":"ok","service":"bench"}"#.utf8)
let router = Router()
router.get(AccessTokenConventions.jwksPath) { _ in .jsonBytes(jwks) }
router.get("/readyz") { _ in try .json(ReadinessReport(service: "bench-upstream", version: "bench", checks: [])) }
router.get("/api/v1/auth/ping") { _ in .jsonBytes(body) }
router.get("/api/v1/records/ping", middleware: [UserAuthMiddleware(verifier: verifier)]) { _ in .jsonBytes(body) }

let now = Timestamp.nowSeconds
let claims = AccessTokenClaims(iss: AccessTokenConventions.issuer, sub: UserID().description, aud: AccessTokenConventions.audience,
                               exp: now + 3600, iat: now, sid: SessionID().description, tid: AgencyID().description,
                               agency: "bench-pd", roles: ["officer"], amr: ["pwd"])
if let file = environment["BENCH_TOKEN_FILE"] {
    try Data(try JWT.sign(claims, type: JWT.accessTokenType, key: key).utf8).write(to: URL(fileURLWithPath: file))
}
let server = HTTPServer(configuration: .init(host: "127.0.0.1", port: port, eventLoops: loops), responder: router.build(),
                        logger: Logger(service: "bench-upstream", minimumLevel: .warning))
try server.start()
try await server.runUntilShutdownSignal()
