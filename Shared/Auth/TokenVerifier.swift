import Glibc
import MusterCore
import MusterCrypto
import MusterHTTP
import MusterTime
import Synchronization

/// Verifies users' access tokens on every request, as each service must.
///
/// A token seen before is answered from a bounded cache (a hash and a lookup);
/// a new one is checked in full: `alg` must be `EdDSA`, `typ` `at+jwt`, the
/// `kid` a key of the issuer's key set, the signature valid, `exp`/`nbf` current
/// (with `leeway`), `iss` and `aud` as configured. An unknown `kid` triggers a
/// refresh of the key set, at most once per `minimumRefreshInterval`, so key
/// rotation needs no restart and forged `kid`s cannot flood the issuer.
///
/// ```swift
/// let verifier = TokenVerifier(issuer: "https://muster.example", audience: "muster", keySource: identityKeys)
/// let user = try await verifier.verify(bearerToken)        // UserPrincipal
/// verifier.invalidate(session: user.sessionID)            // on logout / revocation
/// verifier.replaceSuspendedAgencies([agencyID])            // their tokens are refused from now on
/// ```
public final class TokenVerifier: Sendable {
    public let issuer: String
    public let audience: String
    private let keySource: any KeySource
    private let time: TimeValidity
    private let minimumRefreshInterval: Int
    /// How long a revoked session is remembered: tokens cannot outlive it.
    private let maximumTokenLifetime: Int
    private let now: @Sendable () -> Int
    private let cache: VerifiedTokenCache<UserPrincipal>
    private let state = Mutex(State())
    /// Bumped by every revocation and change of the suspended set: a connection's
    /// remembered token (``ConnectionMemory``) from an older generation is checked again.
    private let generation = Atomic<UInt64>(0)

    /// The issuer's keys, the refresh in flight, revoked sessions (id → until when) and suspended agencies.
    private struct State {
        var keys: [String: Ed25519.PublicKey] = [:]
        var lastRefresh: Int?
        var refresh: Task<Void, any Error>?
        var revoked: [SessionID: Int] = [:]
        var suspended: Set<AgencyID> = []
    }

    public init(issuer: String, audience: String, keySource: any KeySource, leeway: Int = 30,
                cacheCapacity: Int = 10_000, minimumRefreshInterval: Int = 30, maximumTokenLifetime: Int = 3600,
                now: @escaping @Sendable () -> Int = { Timestamp.nowSeconds }) {
        self.issuer = issuer
        self.audience = audience
        self.keySource = keySource
        self.time = TimeValidity(leeway: leeway)
        self.minimumRefreshInterval = minimumRefreshInterval
        self.maximumTokenLifetime = maximumTokenLifetime
        self.now = now
        self.cache = VerifiedTokenCache(capacity: cacheCapacity)
    }

    /// The user `token` authenticates, or why not.
    public nonisolated(nonsending) func verify(_ token: String) async throws(TokenError) -> UserPrincipal {
        let digest = TokenDigest(token[...])
        let now = now()
        switch try verifyWithKnownKeys(token[...], digest: digest, now: now) {
        case .verified(let principal):
            return principal
        case .needsKey(let parsed, let kid):
            return try verify(parsed, key: await key(kid), digest: digest, now: now)
        }
    }

    /// The same answer as ``verify(_:)`` without waiting: `nil` when the token's
    /// `kid` is not in the key set held now (only ``verify(_:)`` fetches it).
    /// A slice of the `Authorization` field will do: a token seen before is not copied.
    ///
    /// With the request's `connection`, the token its previous request proved is
    /// taken on a byte comparison while no revocation happened since and it has not
    /// expired; a different or new token is checked as usual and remembered.
    public func verifyNow(_ token: Substring, remembering connection: ConnectionMemory? = nil) -> Result<UserPrincipal, TokenError>? {
        let now = now()
        // Read before any check: a revocation racing this one voids what it remembers.
        let generation = generation.load(ordering: .acquiring)
        if let known = connection?.remembered as? VerifiedUser, known.owner == ObjectIdentifier(self), known.generation == generation,
           now < known.validUntil, Self.same(known.token, token) {
            return .success(known.user)
        }
        do {
            guard case .verified(let principal) = try verifyWithKnownKeys(token, digest: TokenDigest(token), now: now) else { return nil }
            connection?.remembered = VerifiedUser(token: String(token), user: principal, owner: ObjectIdentifier(self),
                                                  generation: generation, validUntil: principal.expiresAt + time.leeway)
            return .success(principal)
        } catch {
            return .failure(error)
        }
    }

    private static func same(_ known: String, _ token: Substring) -> Bool {
        known.withUTF8Bytes { a in
            token.withUTF8Bytes { b in a.count == b.count && (a.isEmpty || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0) }
        }
    }

    private enum Progress {
        case verified(UserPrincipal)
        case needsKey(JWT.Parsed, kid: String)
    }

    private func verifyWithKnownKeys(_ token: Substring, digest: TokenDigest, now: Int) throws(TokenError) -> Progress {
        // Revocation is checked on hits too: a verification racing `invalidate` may have cached the token.
        if let cached = cache.value(for: digest, now: now), !isRefused(cached, now: now) { return .verified(cached) }
        let parsed = try JWT.parse(token)
        guard parsed.header.typ == JWT.accessTokenType else { throw .wrongType(parsed.header.typ ?? "none") }
        guard let kid = parsed.header.kid else { throw .unknownKey("none") }
        guard let key = state.withLock({ $0.keys[kid] }) else { return .needsKey(parsed, kid: kid) }
        return .verified(try verify(parsed, key: key, digest: digest, now: now))
    }

    private func verify(_ parsed: JWT.Parsed, key: Ed25519.PublicKey, digest: TokenDigest, now: Int) throws(TokenError) -> UserPrincipal {
        try parsed.verifySignature(with: key)
        let claims = try parsed.claims(AccessTokenClaims.self)
        try time.check(expiresAt: claims.exp, notBefore: claims.nbf, issuedAt: claims.iat, now: now)
        guard claims.iss == issuer else { throw .wrongIssuer }
        guard claims.aud == audience else { throw .wrongAudience }
        let principal = try claims.principal()
        guard !isRefused(principal, now: now) else { throw .revoked }
        cache.insert(principal, for: digest, expiresAt: claims.exp + time.leeway, session: claims.sid)
        return principal
    }

    /// Forgets `session`'s cached tokens and refuses its tokens from now on.
    public func invalidate(session: SessionID) {
        let now = now()
        state.withLock { state in
            state.revoked = state.revoked.filter { $0.value > now }
            state.revoked[session] = now + maximumTokenLifetime + time.leeway
        }
        generation.add(1, ordering: .releasing)
        cache.removeAll(session: session.description)
    }

    /// Refuses every token of these agencies (suspended) from now on; replaces the previous set.
    public func replaceSuspendedAgencies(_ agencies: Set<AgencyID>) {
        let changed = state.withLock { state in
            guard state.suspended != agencies else { return false }
            state.suspended = agencies
            return true
        }
        if changed { generation.add(1, ordering: .releasing) }
    }

    /// Fetches the key set now (at start-up, or on a schedule).
    public func refreshKeys() async throws {
        let fetched = try await keySource.fetchKeys().publicKeys
        let now = now()
        state.withLock { state in
            state.keys = fetched
            state.lastRefresh = now
        }
    }

    /// Tokens currently cached (for metrics).
    public var cachedCount: Int { cache.count }

    private func isRefused(_ principal: UserPrincipal, now: Int) -> Bool {
        state.withLock { state in
            (state.revoked[principal.sessionID] ?? .min) > now || state.suspended.contains(principal.agencyID)
        }
    }

    /// The key named `kid`, refreshing the set once if it is unknown and a refresh is due.
    private func key(_ kid: String) async throws(TokenError) -> Ed25519.PublicKey {
        let now = now()
        let (known, refresh): (Ed25519.PublicKey?, Task<Void, any Error>?) = state.withLock { state in
            if let key = state.keys[kid] { return (key, nil) }
            if let running = state.refresh { return (nil, running) }
            if let last = state.lastRefresh, now - last < minimumRefreshInterval { return (nil, nil) }
            let task = Task { [self] in
                defer { self.state.withLock { $0.refresh = nil } }
                try await refreshKeys()
            }
            state.refresh = task
            return (nil, task)
        }
        if let known { return known }
        guard let refresh else { throw .unknownKey(kid) }
        do { try await refresh.value } catch {
            // A failed fetch counts as a refresh for the rate limit: a down issuer is not hammered.
            state.withLock { $0.lastRefresh = now }
            throw .keysUnavailable
        }
        guard let key = state.withLock({ $0.keys[kid] }) else { throw .unknownKey(kid) }
        return key
    }
}
