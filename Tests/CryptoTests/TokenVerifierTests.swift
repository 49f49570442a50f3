import MusterAuth
import MusterCore
import MusterCrypto
import MusterHTTP
import Testing

@Suite struct TokenVerifierTests {
    @Test func refreshesOnUnknownKidAtMostOncePerInterval() async throws {
        let clock = TestClock()
        let old = JWTSigningKey(privateKey: Ed25519.PrivateKey()), new = JWTSigningKey(privateKey: Ed25519.PrivateKey())
        let source = CountingKeySource(JWKSet(signingKeys: [old]))
        let verifier = AuthFixtures.verifier(source, clock: clock)
        _ = try await verifier.verify(try JWT.sign(AuthFixtures.claims(now: clock.now), type: JWT.accessTokenType, key: old))
        #expect(source.fetches == 1)

        // The issuer rotates: the new kid is fetched once, then known.
        source.replace(JWKSet(signingKeys: [old, new]))
        let rotated = try JWT.sign(AuthFixtures.claims(now: clock.now), type: JWT.accessTokenType, key: new)
        await #expect(throws: TokenError.unknownKey(new.kid)) { try await verifier.verify(rotated) }   // too soon after the first fetch
        clock.advance(31)
        let fresh = try JWT.sign(AuthFixtures.claims(now: clock.now), type: JWT.accessTokenType, key: new)
        _ = try await verifier.verify(fresh)
        #expect(source.fetches == 2)

        // Forged kids cannot make it fetch again within the interval.
        for index in 0..<20 {
            let forged = try JWT.sign(AuthFixtures.claims(now: clock.now), type: JWT.accessTokenType,
                                      key: JWTSigningKey(privateKey: Ed25519.PrivateKey(), kid: "forged-\(index)"))
            await #expect(throws: TokenError.unknownKey("forged-\(index)")) { try await verifier.verify(forged) }
        }
        #expect(source.fetches == 2)
    }

    /// `verifyNow` gives `verify`'s answer with the keys held, and `nil` (never a fetch) for a key it must fetch first.
    @Test func verifyingNowNeverWaitsForTheKeySet() async throws {
        let clock = TestClock()
        let key = JWTSigningKey(privateKey: Ed25519.PrivateKey()), next = JWTSigningKey(privateKey: Ed25519.PrivateKey())
        let source = CountingKeySource(JWKSet(signingKeys: [key, next]))
        let verifier = AuthFixtures.verifier(source, clock: clock)
        let token = try JWT.sign(AuthFixtures.claims(now: clock.now), type: JWT.accessTokenType, key: key)
        #expect(verifier.verifyNow(token[...]) == nil)
        #expect(source.fetches == 0)

        try await verifier.refreshKeys()
        let fresh = try JWT.sign(AuthFixtures.claims(now: clock.now), type: JWT.accessTokenType, key: next)
        #expect(try verifier.verifyNow(fresh[...])?.get() == (try await verifier.verify(fresh)))
        #expect(try verifier.verifyNow(token[...])?.get() == (try await verifier.verify(token)))
        let expired = try JWT.sign(AuthFixtures.claims(now: clock.now - 4000), type: JWT.accessTokenType, key: key)
        guard case .failure(let error)? = verifier.verifyNow(expired[...]) else {
            Issue.record("an expired token is refused now")
            return
        }
        await #expect(throws: error) { try await verifier.verify(expired) }
        #expect(source.fetches == 1)
    }

    /// A connection's remembered token is taken only from the verifier that checked it, while
    /// nothing was revoked since and it has not expired; any other token is checked in full.
    @Test func aConnectionRemembersItsTokenUntilARevocationOrItsExpiry() async throws {
        let clock = TestClock()
        let key = JWTSigningKey(privateKey: Ed25519.PrivateKey())
        let verifier = AuthFixtures.verifier(StaticKeySource(JWKSet(signingKeys: [key])), clock: clock)
        try await verifier.refreshKeys()
        let session = SessionID()
        let token = try JWT.sign(AuthFixtures.claims(now: clock.now, lifetime: 600, session: session), type: JWT.accessTokenType, key: key)
        let memory = ConnectionMemory()
        let user = try #require(try verifier.verifyNow(token[...], remembering: memory)?.get())
        #expect((memory.remembered as? VerifiedUser)?.token == token)
        #expect((memory.remembered as? VerifiedUser)?.user == user)

        // A token one signature byte away is not the remembered one: refused, and the good one stays.
        var forged = Array(token.utf8)
        forged[forged.count - 20] = forged[forged.count - 20] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        let tampered = String(decoding: forged, as: UTF8.self)
        #expect(throws: TokenError.self) { try verifier.verifyNow(tampered[...], remembering: memory)?.get() }
        #expect(try verifier.verifyNow(token[...], remembering: memory)?.get() == user)

        // Another verifier, whose issuer never published that key, does not take the first one's word.
        let stranger = AuthFixtures.verifier(StaticKeySource(JWKSet(signingKeys: [JWTSigningKey(privateKey: Ed25519.PrivateKey())])), clock: clock)
        try await stranger.refreshKeys()
        #expect(stranger.verifyNow(token[...], remembering: memory) == nil)

        // Suspending the agency, or revoking the session, refuses the remembered token at once.
        verifier.replaceSuspendedAgencies([user.agencyID])
        #expect(throws: TokenError.revoked) { try verifier.verifyNow(token[...], remembering: memory)?.get() }
        verifier.replaceSuspendedAgencies([])
        #expect(try verifier.verifyNow(token[...], remembering: memory)?.get() == user)
        verifier.invalidate(session: session)
        #expect(throws: TokenError.revoked) { try verifier.verifyNow(token[...], remembering: memory)?.get() }

        // Past its expiry (and the leeway) a remembered token is refused.
        let later = try JWT.sign(AuthFixtures.claims(now: clock.now, lifetime: 600), type: JWT.accessTokenType, key: key)
        #expect(try verifier.verifyNow(later[...], remembering: memory)?.get() != nil)
        clock.advance(600 + 31)
        #expect(throws: TokenError.expired) { try verifier.verifyNow(later[...], remembering: memory)?.get() }
    }

    @Test func cachesVerifiedTokensAndForgetsRevokedSessions() async throws {
        let clock = TestClock()
        let key = JWTSigningKey(privateKey: Ed25519.PrivateKey())
        let verifier = AuthFixtures.verifier(StaticKeySource(JWKSet(signingKeys: [key])), clock: clock)
        let session = SessionID()
        let token = try JWT.sign(AuthFixtures.claims(now: clock.now, session: session), type: JWT.accessTokenType, key: key)
        let other = try JWT.sign(AuthFixtures.claims(now: clock.now), type: JWT.accessTokenType, key: key)
        let first = try await verifier.verify(token)
        #expect(try await verifier.verify(token) == first)
        _ = try await verifier.verify(other)
        #expect(verifier.cachedCount == 2)

        verifier.invalidate(session: session)
        #expect(verifier.cachedCount == 1)
        await #expect(throws: TokenError.revoked) { try await verifier.verify(token) }
        let sameSession = try JWT.sign(AuthFixtures.claims(now: clock.now, session: session), type: JWT.accessTokenType, key: key)
        await #expect(throws: TokenError.revoked) { try await verifier.verify(sameSession) }
        _ = try await verifier.verify(other)
    }

    @Test func cacheStaysWithinCapacityEvictingTheOldest() async throws {
        let clock = TestClock()
        let key = JWTSigningKey(privateKey: Ed25519.PrivateKey())
        let verifier = AuthFixtures.verifier(StaticKeySource(JWKSet(signingKeys: [key])), clock: clock, cacheCapacity: 8)
        let tokens = try (0..<30).map { _ in try JWT.sign(AuthFixtures.claims(now: clock.now), type: JWT.accessTokenType, key: key) }
        for token in tokens { _ = try await verifier.verify(token) }
        #expect(verifier.cachedCount == 8)
        // Evicted tokens are simply verified again.
        for token in tokens.prefix(3) { _ = try await verifier.verify(token) }
        #expect(verifier.cachedCount == 8)
    }

    @Test func aFailingKeySourceIsReportedAsUnavailable() async throws {
        struct Down: KeySource {
            struct Unreachable: Error {}
            func fetchKeys() async throws -> JWKSet { throw Unreachable() }
        }
        let clock = TestClock()
        let verifier = AuthFixtures.verifier(Down(), clock: clock)
        let token = try JWT.sign(AuthFixtures.claims(now: clock.now), type: JWT.accessTokenType, key: JWTSigningKey(privateKey: Ed25519.PrivateKey()))
        await #expect(throws: TokenError.keysUnavailable) { try await verifier.verify(token) }
    }
}

/// `auth_time` travels from the signed claims to the principal, and the shared
/// check asks for a fresh one: within the window passes, older or absent is `401 reauthentication_required`.
@Suite struct AuthTimeTests {
    @Test func theTokensAuthTimeDecidesWhetherItIsRecent() async throws {
        let clock = TestClock()
        let key = JWTSigningKey(privateKey: Ed25519.PrivateKey())
        let verifier = AuthFixtures.verifier(CountingKeySource(JWKSet(signingKeys: [key])), clock: clock)
        var claims = AuthFixtures.claims(now: clock.now)
        claims.authTime = clock.now - 300
        let user = try await verifier.verify(try JWT.sign(claims, type: JWT.accessTokenType, key: key))
        #expect(user.authenticatedAt == clock.now - 300)
        #expect(user.authenticated(within: 300, now: clock.now) && !user.authenticated(within: 299, now: clock.now))

        var context = RequestContext()
        context.principal = .user(user)
        #expect(try context.requireRecentAuthentication(within: 300, now: clock.now) == user)
        #expect(throws: HTTPError.self) { try context.requireRecentAuthentication(within: 300, now: clock.now + 1) }
        do {
            _ = try context.requireRecentAuthentication(within: 300, now: clock.now + 1)
        } catch {
            #expect(error.status == .unauthorized && error.code == "reauthentication_required")
        }

        let without = try await verifier.verify(try JWT.sign(AuthFixtures.claims(now: clock.now), type: JWT.accessTokenType, key: key))
        #expect(without.authenticatedAt == nil && !without.authenticated(within: 3600, now: clock.now), "no auth_time: never recent")
        #expect(AuthFixtures.json(claims).contains("\"auth_time\":\(clock.now - 300)"), "the wire name is auth_time")
    }
}
