import Foundation
import MusterAuth
import MusterCore
import MusterCrypto
import MusterTime
import Testing

@Suite struct JWTTests {
    @Test func tokensSignedHereVerifyWithPyJWTAgainstOurJWKS() throws {
        let key = JWTSigningKey(privateKey: Ed25519.PrivateKey())
        let claims = AuthFixtures.claims(now: Timestamp.nowSeconds)
        let token = try JWT.sign(claims, type: JWT.accessTokenType, key: key)
        let jwks = String(decoding: try JWKSet(signingKeys: [key]).encoded(), as: UTF8.self)
        let output = try Oracle.python("""
            import sys, json, jwt
            token, jwks = sys.argv[1], json.loads(sys.argv[2])
            header = jwt.get_unverified_header(token)
            [jwk] = [k for k in jwks["keys"] if k["kid"] == header["kid"]]
            key = jwt.PyJWK(jwk).key
            claims = jwt.decode(token, key, algorithms=["EdDSA"], audience="muster", issuer=sys.argv[3])
            print(header["typ"]); print(claims["tid"]); print(",".join(claims["amr"]))
            """, token, jwks, AuthFixtures.issuer)
        #expect(output.split(separator: "\n").map(String.init) == [JWT.accessTokenType, claims.tid, "pwd,otp"])
    }

    @Test func tokensSignedByPyJWTVerifyHere() async throws {
        let clock = TestClock()
        var claims = AuthFixtures.claims(now: clock.now)
        // pyjwt escapes non-ASCII as \uXXXX (surrogate pairs for the emoji): the parser must join them.
        claims.agency = "polizei-münchen 🚓"
        let output = try Oracle.python("""
            import sys, json, base64, jwt
            from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
            from cryptography.hazmat.primitives import serialization
            key = Ed25519PrivateKey.generate()
            raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
            print(base64.urlsafe_b64encode(raw).decode().rstrip("="))
            print(jwt.encode(json.loads(sys.argv[1]), key, algorithm="EdDSA", headers={"kid": "py-1", "typ": "at+jwt"}))
            """, AuthFixtures.json(claims))
        let lines = output.split(separator: "\n").map(String.init)
        let jwk = JWK(publicKey: try Ed25519.PublicKey(rawRepresentation: Base64URL.decode(lines[0])), kid: "py-1")
        let verifier = AuthFixtures.verifier(StaticKeySource(JWKSet(keys: [jwk])), clock: clock)
        let user = try await verifier.verify(lines[1])
        #expect(user.userID.description == claims.sub)
        #expect(user.agencyID.description == claims.tid)
        #expect(user.roles == [.officer, .supervisor])
        #expect(user.methods == ["pwd", "otp"])
        #expect(user.expiresAt == claims.exp)
        #expect(user.agencySlug == "polizei-münchen 🚓")
    }

    @Test func refusesNoneAndAlgorithmConfusion() async throws {
        let clock = TestClock()
        let key = JWTSigningKey(privateKey: Ed25519.PrivateKey())
        let verifier = AuthFixtures.verifier(StaticKeySource(JWKSet(signingKeys: [key])), clock: clock)
        let payload = AuthFixtures.json(AuthFixtures.claims(now: clock.now))
        let none = AuthFixtures.forged(header: #"{"alg":"none","kid":"\#(key.kid)","typ":"at+jwt"}"#, payload: payload, signature: [])
        await #expect(throws: TokenError.unsupportedAlgorithm("none")) { try await verifier.verify(none) }

        // HS256 "signed" with the public key as the HMAC secret: the classic confusion attack.
        let header = #"{"alg":"HS256","kid":"\#(key.kid)","typ":"at+jwt"}"#
        let input = Base64URL.encode(header.utf8) + "." + Base64URL.encode(payload.utf8)
        for secret in [key.privateKey.publicKey.rawRepresentation, Array(Base64URL.encode(key.privateKey.publicKey.rawRepresentation).utf8)] {
            let mac = HMAC.authenticationCode(for: input.utf8, key: secret, algorithm: .sha256)
            await #expect(throws: TokenError.unsupportedAlgorithm("HS256")) { try await verifier.verify(input + "." + Base64URL.encode(mac)) }
        }
        let critical = AuthFixtures.forged(header: #"{"alg":"EdDSA","crit":["exp"],"kid":"\#(key.kid)","typ":"at+jwt"}"#,
                                           payload: payload, signature: [UInt8](repeating: 0, count: 64))
        await #expect(throws: TokenError.unsupportedAlgorithm("crit")) { try await verifier.verify(critical) }
    }

    @Test func refusesTamperingAndMalformedTokens() async throws {
        let clock = TestClock()
        let key = JWTSigningKey(privateKey: Ed25519.PrivateKey())
        let verifier = AuthFixtures.verifier(StaticKeySource(JWKSet(signingKeys: [key])), clock: clock)
        var claims = AuthFixtures.claims(now: clock.now)
        let token = try JWT.sign(claims, type: JWT.accessTokenType, key: key)
        let parts = token.split(separator: ".").map(String.init)
        claims.roles = ["agency_admin"]
        let tampered = parts[0] + "." + Base64URL.encode(AuthFixtures.json(claims).utf8) + "." + parts[2]
        await #expect(throws: TokenError.badSignature) { try await verifier.verify(tampered) }
        let otherKey = try JWT.sign(claims, type: JWT.accessTokenType, key: JWTSigningKey(privateKey: Ed25519.PrivateKey(), kid: key.kid))
        await #expect(throws: TokenError.badSignature) { try await verifier.verify(otherKey) }
        for malformed in ["", "a.b", "a.b.c.d", parts[0] + "." + parts[1] + ".", parts[0] + ".!!!." + parts[2],
                          String(repeating: "a", count: JWT.maximumLength + 1)] {
            await #expect(throws: TokenError.self, "\(malformed.prefix(40))") { try await verifier.verify(malformed) }
        }
        _ = try await verifier.verify(token)
    }

    @Test func checksTimeIssuerAudienceAndType() async throws {
        let clock = TestClock()
        let key = JWTSigningKey(privateKey: Ed25519.PrivateKey())
        let verifier = AuthFixtures.verifier(StaticKeySource(JWKSet(signingKeys: [key])), clock: clock)
        func token(_ change: (inout AccessTokenClaims) -> Void, type: String = JWT.accessTokenType) throws -> String {
            var claims = AuthFixtures.claims(now: clock.now)
            change(&claims)
            return try JWT.sign(claims, type: type, key: key)
        }
        await #expect(throws: TokenError.expired) { try await verifier.verify(try token { $0.exp = clock.now - 31 }) }
        _ = try await verifier.verify(try token { $0.exp = clock.now - 5 })       // within the leeway
        await #expect(throws: TokenError.notYetValid) { try await verifier.verify(try token { $0.nbf = clock.now + 120 }) }
        await #expect(throws: TokenError.notYetValid) { try await verifier.verify(try token { $0.iat = clock.now + 120 }) }
        await #expect(throws: TokenError.wrongIssuer) { try await verifier.verify(try token { $0.iss = "https://evil.test" }) }
        await #expect(throws: TokenError.wrongAudience) { try await verifier.verify(try token { $0.aud = "records" }) }
        await #expect(throws: TokenError.wrongType(JWT.serviceTokenType)) { try await verifier.verify(try token({ _ in }, type: JWT.serviceTokenType)) }
        await #expect(throws: TokenError.malformed) { try await verifier.verify(try token { $0.sub = "not-a-uuid" }) }

        // A cached token still expires.
        let short = try token { $0.exp = clock.now + 60 }
        _ = try await verifier.verify(short)
        clock.advance(100)
        await #expect(throws: TokenError.expired) { try await verifier.verify(short) }
    }

    @Test func jwksRoundTripsAndSkipsForeignKeys() throws {
        let key = JWTSigningKey(privateKey: Ed25519.PrivateKey())
        let json = #"{"keys":[{"kty":"RSA","n":"AQAB","e":"AQAB","kid":"rsa"},{"kty":"OKP","crv":"X25519","x":"AAAA","kid":"x"},"#
            + String(decoding: try JSONEncoder().encode(JWK(publicKey: key.privateKey.publicKey, kid: key.kid)), as: UTF8.self) + "]}"
        let set = try JWKSet.decode(Array(json.utf8))
        #expect(set.keys.count == 3)
        #expect(Array(set.publicKeys.keys) == [key.kid])
        #expect(set.publicKeys[key.kid] == key.privateKey.publicKey)
        #expect(try JWKSet.decode(JWKSet(signingKeys: [key]).encoded()) == JWKSet(signingKeys: [key]))
        // RFC 8037 Appendix A.3 thumbprint.
        let rfc = JWK(publicKey: try Ed25519.PublicKey(rawRepresentation: Base64URL.decode("11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo")), kid: "")
        #expect(rfc.thumbprint == "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k")
    }
}
