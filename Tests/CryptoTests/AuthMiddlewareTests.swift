import MusterAuth
import MusterCore
import MusterCrypto
import MusterHTTP
import MusterTime
import Testing

@Suite struct AuthMiddlewareTests {
    static let gatewayKey = Ed25519.PrivateKey(), identityKey = Ed25519.PrivateKey()
    static let credentials = ServiceCredentialVerifier(service: .records,
                                                       trustedKeys: [.gateway: gatewayKey.publicKey, .identity: identityKey.publicKey])
    static let gateway = ServiceCredentialSigner(service: .gateway, privateKey: gatewayKey)
    static let identity = ServiceCredentialSigner(service: .identity, privateKey: identityKey)

    /// Echoes what the middleware established.
    static let echo: Handler = { request in
        let principal = switch request.context.principal {
        case .user(let user)?: "user:\(user.userID)"
        case .service(let service)?: "service:\(service.rawValue)"
        case nil: "none"
        }
        return .text("\(principal) \(request.context.clientAddress)")
    }

    static func request(_ headers: HTTPHeaders) -> HTTPRequest {
        HTTPRequest(method: .get, target: "/x", headers: headers, context: RequestContext(peerAddress: "10.0.0.9"))
    }

    static func outcome(_ middleware: some Middleware, _ headers: HTTPHeaders) async -> (status: Int, body: String, challenge: String?) {
        do {
            let response = try await middleware.handle(request(headers), next: echo)
            return (response.status.rawValue, String(decoding: response.body.bytes, as: UTF8.self), nil)
        } catch let error as HTTPError {
            return (error.status.rawValue, error.code, error.headers["WWW-Authenticate"])
        } catch {
            return (0, "\(error)", nil)
        }
    }

    @Test func userAuthRequiresAValidAccessToken() async throws {
        let key = JWTSigningKey(privateKey: Ed25519.PrivateKey())
        let verifier = TokenVerifier(issuer: AuthFixtures.issuer, audience: AuthFixtures.audience, keySource: StaticKeySource(JWKSet(signingKeys: [key])))
        let middleware = UserAuthMiddleware(verifier: verifier)
        let claims = AuthFixtures.claims(now: Timestamp.nowSeconds)
        let token = try JWT.sign(claims, type: JWT.accessTokenType, key: key)

        let accepted = await Self.outcome(middleware, ["Authorization": "bearer \(token)"])
        #expect(accepted.status == 200 && accepted.body == "user:\(claims.sub) 10.0.0.9")
        let missing = await Self.outcome(middleware, [:])
        #expect(missing.status == 401 && missing.challenge == "Bearer")
        let basic = await Self.outcome(middleware, ["Authorization": "Basic dXNlcjpwYXNz"])
        #expect(basic.status == 401 && basic.challenge == "Bearer")
        let invalid = await Self.outcome(middleware, ["Authorization": "Bearer \(token)x"])
        #expect(invalid.status == 401 && invalid.body == "invalid_token" && invalid.challenge == #"Bearer error="invalid_token""#)
        let service = await Self.outcome(middleware, ["Authorization": "Bearer \(Self.gateway.credential(for: .records))"])
        #expect(service.status == 401)
    }

    @Test func serviceAuthRequiresAPeerCredentialAndCanRestrictCallers() async {
        let open = ServiceAuthMiddleware(verifier: Self.credentials)
        let onlyIdentity = ServiceAuthMiddleware(verifier: Self.credentials, allowedCallers: [.identity])
        let fromGateway: HTTPHeaders = ["Authorization": "Bearer \(Self.gateway.credential(for: .records))"]

        #expect(await Self.outcome(open, fromGateway).body == "service:gateway 10.0.0.9")
        #expect(await Self.outcome(onlyIdentity, fromGateway).status == 403)
        #expect(await Self.outcome(onlyIdentity, ["Authorization": "Bearer \(Self.identity.credential(for: .records))"]).body
            == "service:identity 10.0.0.9")
        #expect(await Self.outcome(open, [:]).status == 401)
        #expect(await Self.outcome(open, ["Authorization": "Bearer \(Self.gateway.credential(for: .audit))"]).status == 401)
    }

    @Test func forwardedForIsTrustedOnlyWithTheGatewaysCredential() async {
        let middleware = ForwardedClientMiddleware(verifier: Self.credentials)
        let header = ForwardedClientMiddleware.credentialHeader
        let forwarded = "203.0.113.7, 10.0.0.1"

        #expect(await Self.outcome(middleware, ["X-Forwarded-For": forwarded]).body == "none 10.0.0.9")
        #expect(await Self.outcome(middleware, ["X-Forwarded-For": forwarded, header: Self.gateway.credential(for: .records)]).body
            == "none 203.0.113.7")
        #expect(await Self.outcome(middleware, ["X-Forwarded-For": "2001:db8::1", header: Self.gateway.credential(for: .records)]).body
            == "none 2001:db8::1")
        #expect(await Self.outcome(middleware, ["X-Forwarded-For": "evil\"value", header: Self.gateway.credential(for: .records)]).body
            == "none 10.0.0.9")
        #expect(await Self.outcome(middleware, ["X-Forwarded-For": forwarded, header: Self.identity.credential(for: .records)]).status == 403)
        #expect(await Self.outcome(middleware, ["X-Forwarded-For": forwarded, header: "not-a-token"]).status == 401)
    }
}
