import Foundation
import MusterAuth
import MusterContracts
import MusterCore
import MusterCrypto
import MusterHTTP
import MusterHTTPServer
import MusterTime
import Synchronization

/// A real HTTP server in the test process standing in for a service behind the
/// Gateway (Identity's JWKS and sign-in are not built yet): it publishes a JWKS,
/// answers `/readyz`, and its `/api/v1/auth/*` routes report what arrived, stream
/// large bodies and answer slowly, so the proxy can be checked end to end.
final class StandInService: Sendable {
    let server: HTTPServer
    let signingKey = JWTSigningKey(privateKey: Ed25519.PrivateKey())
    /// Sessions its revocation feed reports (Identity's `/internal/revocations`), added through `POST /stand-in/revoke`.
    private let revoked: RevokedSessions

    private final class RevokedSessions: Sendable {
        let sessions = Mutex<[SessionID]>([])
    }

    var url: String { "http://127.0.0.1:\(server.localPort)" }

    init() throws {
        let router = Router()
        let revoked = RevokedSessions()
        self.revoked = revoked
        let jwks = try JWKSet(signingKeys: [signingKey]).encoded()
        router.get(AccessTokenConventions.jwksPath) { _ in .jsonBytes(jwks) }
        router.get("/readyz") { _ in try .json(ReadinessReport(service: "stand-in", version: "9.9.9", uptimeSeconds: 42, checks: [])) }
        router.get("/healthz") { _ in .jsonBytes(Array("{\"status\":\"ok\"}".utf8)) }
        router.get(RevocationFeed.path) { _ in
            try .json(RevocationFeed(revokedSessions: revoked.sessions.withLock { $0 }, suspendedAgencies: [], nextCursor: "0", hasMore: false))
        }
        // What a logout at Identity does to the feed, for a test's client to trigger mid-connection (not through the Gateway).
        router.post("/stand-in/revoke", bodyLimit: 64) { request in
            guard let session = SessionID(string: String(decoding: request.body, as: UTF8.self)) else { throw HTTPError.badRequest("session id") }
            revoked.sessions.withLock { $0.append(session) }
            return HTTPResponse(status: .noContent)
        }
        let echo: Handler = { request in
            var seen: [String: String] = ["method": request.method.rawValue, "target": request.target,
                                          "body_bytes": String(request.body.count)]
            for field in request.headers { seen[field.name.lowercased()] = field.value }
            return try .json(seen)
        }
        router.post("/api/v1/auth/login", bodyLimit: 1 << 20, echo)
        router.get("/api/v1/auth/echo", echo)
        router.get("/api/v1/records/echo", echo)
        router.get("/api/v1/auth/stream") { _ in
            // Produced as the server pulls (on its loop), so no other task has to run: 256 × 4 KiB.
            let produced = Mutex(0)
            let stream = AsyncThrowingStream<[UInt8], any Error>(unfolding: {
                let index = produced.withLock { count in
                    count += 1
                    return count
                }
                return index <= 256 ? Array(repeating: UInt8(ascii: "a") + UInt8(index % 26), count: 4096) : nil
            })
            return HTTPResponse(status: .ok, headers: ["Content-Type": "application/octet-stream"], body: .stream(stream))
        }
        router.get("/api/v1/auth/slow") { _ in
            try await Task.sleep(for: .seconds(3))
            return .text("late")
        }
        server = HTTPServer(configuration: .init(host: "127.0.0.1", port: 0, eventLoops: 1), responder: router.build(),
                            logger: Logger(service: "stand-in", minimumLevel: .error))
        try server.start()
    }

    /// An access token for a user of a new agency, signed with the published key (or `key`).
    func token(roles: [Role] = [.officer], agency: AgencyID = AgencyID(), session: SessionID = SessionID(), lifetime: Int = 600,
               key: JWTSigningKey? = nil) throws -> String {
        let now = Timestamp.nowSeconds
        let claims = AccessTokenClaims(iss: AccessTokenConventions.issuer, sub: UserID().description,
                                       aud: AccessTokenConventions.audience, exp: now + lifetime, iat: now,
                                       sid: session.description, tid: agency.description, agency: "metro-pd",
                                       roles: roles.map(\.rawValue), amr: ["pwd"])
        return try JWT.sign(claims, type: JWT.accessTokenType, key: key ?? signingKey)
    }

    func stop() async { await server.shutdown() }
}
