import MusterContracts
import MusterHTTP

/// `GET /.well-known/jwks.json`: the public keys of access tokens (RFC 8037 OKP JWKs).
struct KeyRoutes {
    let services: IdentityRuntime

    func register(on router: Router) {
        router.get(AccessTokenConventions.jwksPath) { _ in
            var response = HTTPResponse.jsonBytes(try await services.keys.fetchKeys().encoded())
            response.headers["Cache-Control"] = "public, max-age=60"
            return response
        }
    }
}
