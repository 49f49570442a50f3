import MusterAuth
import MusterCore
import MusterCrypto
import Testing

@Suite struct ServiceCredentialTests {
    static let gatewayKey = Ed25519.PrivateKey(), recordsKey = Ed25519.PrivateKey()

    static func verifier(_ service: ServiceName = .records, clock: TestClock) -> ServiceCredentialVerifier {
        ServiceCredentialVerifier(service: service, trustedKeys: [.gateway: gatewayKey.publicKey, .records: recordsKey.publicKey],
                                  now: clock.function)
    }

    @Test func acceptsItsPeersAndReusesACredentialUntilNearExpiry() throws {
        let clock = TestClock()
        let signer = ServiceCredentialSigner(service: .gateway, privateKey: Self.gatewayKey, now: clock.function)
        let first = signer.credential(for: .records)
        #expect(try Self.verifier(clock: clock).verify(first) == .gateway)
        #expect(signer.credential(for: .records) == first)
        #expect(signer.credential(for: .audit) != first)
        clock.advance(241)
        let renewed = signer.credential(for: .records)
        #expect(renewed != first)
        #expect(try Self.verifier(clock: clock).verify(renewed) == .gateway)
    }

    @Test func refusesWrongAudienceWrongKeyExpiryAndUntrustedServices() throws {
        let clock = TestClock()
        let verifier = Self.verifier(clock: clock)
        let gateway = ServiceCredentialSigner(service: .gateway, privateKey: Self.gatewayKey, now: clock.function)
        #expect(throws: TokenError.wrongAudience) { try verifier.verify(gateway.credential(for: .audit)) }

        let impostor = ServiceCredentialSigner(service: .gateway, privateKey: Ed25519.PrivateKey(), now: clock.function)
        #expect(throws: TokenError.badSignature) { try verifier.verify(impostor.credential(for: .records)) }

        let notify = ServiceCredentialSigner(service: .notify, privateKey: Ed25519.PrivateKey(), now: clock.function)
        #expect(throws: TokenError.unknownKey("notify")) { try verifier.verify(notify.credential(for: .records)) }

        let credential = gateway.credential(for: .records)
        clock.advance(300 + 31)
        #expect(throws: TokenError.expired) { try verifier.verify(credential) }

        // Signed by the gateway's key but claiming to be someone else.
        let liar = try JWT.sign(ServiceTokenClaims(iss: "identity", aud: "records", exp: clock.now + 60, iat: clock.now, jti: "x"),
                                type: JWT.serviceTokenType, key: JWTSigningKey(privateKey: Self.gatewayKey, kid: "gateway"))
        #expect(throws: TokenError.wrongIssuer) { try verifier.verify(liar) }
        let longLived = try JWT.sign(ServiceTokenClaims(iss: "gateway", aud: "records", exp: clock.now + 86_400, iat: clock.now, jti: "y"),
                                     type: JWT.serviceTokenType, key: JWTSigningKey(privateKey: Self.gatewayKey, kid: "gateway"))
        #expect(throws: TokenError.expired) { try verifier.verify(longLived) }
    }

    @Test func userTokensAndServiceCredentialsAreNeverInterchangeable() async throws {
        let clock = TestClock()
        // Even when the very same key signs both kinds.
        let shared = JWTSigningKey(privateKey: Self.gatewayKey, kid: "gateway")
        let userToken = try JWT.sign(AuthFixtures.claims(now: clock.now), type: JWT.accessTokenType, key: shared)
        #expect(throws: TokenError.wrongType(JWT.accessTokenType)) { try Self.verifier(clock: clock).verify(userToken) }

        let userVerifier = AuthFixtures.verifier(StaticKeySource(JWKSet(signingKeys: [shared])), clock: clock)
        let credential = ServiceCredentialSigner(service: .gateway, privateKey: Self.gatewayKey, now: clock.function).credential(for: .records)
        await #expect(throws: TokenError.wrongType(JWT.serviceTokenType)) { try await userVerifier.verify(credential) }
    }

    @Test func loadsFromTheEnvironmentLinesItGenerates() throws {
        var values: [String: String] = [:]
        for line in ServiceCredentials.environmentLines().split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1)
            values[String(parts[0])] = String(parts[1])
        }
        #expect(values.count == ServiceName.allCases.count + 1)
        let gateway = try ServiceCredentials.load(service: .gateway, environment: Environment(values))
        let audit = try ServiceCredentials.load(service: .audit, environment: Environment(values))
        #expect(try audit.verifier.verify(gateway.signer.credential(for: .audit)) == .gateway)
        #expect(throws: TokenError.wrongAudience) { try audit.verifier.verify(gateway.signer.credential(for: .notify)) }

        var missing = values
        missing["MUSTER_AUDIT_SERVICE_KEY"] = nil
        #expect(throws: ConfigurationError.self) { try ServiceCredentials.load(service: .audit, environment: Environment(missing)) }
        var mismatched = values
        mismatched["MUSTER_AUDIT_SERVICE_KEY"] = ServiceCredentials.generateKeyPair().privateKey
        #expect(throws: ConfigurationError.self) { try ServiceCredentials.load(service: .audit, environment: Environment(mismatched)) }
        var garbled = values
        garbled["MUSTER_SERVICE_PUBLIC_KEYS"] = "gateway:not-base64!"
        #expect(throws: ConfigurationError.self) { try ServiceCredentials.load(service: .audit, environment: Environment(garbled)) }
    }
}
