import MusterAuth
import MusterHTTP
import MusterService

/// Audit's checkpoint-verification keys as a JWK set (active key first, retired
/// keys kept so that old checkpoints still verify): `GET /internal/audit-keys` for
/// services (credential required), `GET /api/v1/audit/keys` for everyone — public
/// keys, reached through the Gateway, so auditors can pin them.
enum KeyRoutes {
    static func register(on router: Router, context: ServiceContext, keys: AuditKeys) {
        let serviceAuth = ServiceAuthMiddleware(verifier: context.credentials.verifier)
        let answer: Handler = { _ in
            var response = HTTPResponse.jsonBytes(try await keys.jwks().encoded())
            response.headers["Cache-Control"] = "public, max-age=300"
            return response
        }
        router.get("/internal/audit-keys", middleware: [serviceAuth], answer)
        router.get("/api/v1/audit/keys", answer)
    }
}
