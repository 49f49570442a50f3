import MusterCore
import MusterCrypto
import MusterTime

/// Checks the service credentials that peers present to this service.
///
/// A credential is accepted only if its `typ` is `service+jwt`, its `kid` names
/// a trusted service whose configured key made the signature, `iss` equals that
/// `kid`, `aud` is this service, and it is current and no longer-lived than
/// `maximumLifetime`. A user's access token fails on `typ` (and on `kid`, `aud`).
///
/// ```swift
/// let caller = try verifier.verify(token)   // ServiceName
/// ```
public final class ServiceCredentialVerifier: Sendable {
    /// This service: the audience every accepted credential names.
    public let service: ServiceName
    private let trustedKeys: [String: Ed25519.PublicKey]
    private let time: TimeValidity
    private let maximumLifetime: Int
    private let now: @Sendable () -> Int
    private let cache: VerifiedTokenCache<ServiceName>

    public init(service: ServiceName, trustedKeys: [ServiceName: Ed25519.PublicKey], leeway: Int = 30,
                maximumLifetime: Int = 600, cacheCapacity: Int = 1024,
                now: @escaping @Sendable () -> Int = { Timestamp.nowSeconds }) {
        self.service = service
        self.trustedKeys = Dictionary(uniqueKeysWithValues: trustedKeys.map { ($0.key.rawValue, $0.value) })
        self.time = TimeValidity(leeway: leeway)
        self.maximumLifetime = maximumLifetime
        self.now = now
        self.cache = VerifiedTokenCache(capacity: cacheCapacity)
    }

    /// The calling service, or why its credential is refused.
    public func verify(_ token: String) throws(TokenError) -> ServiceName {
        let digest = TokenDigest(token[...])
        let now = now()
        if let cached = cache.value(for: digest, now: now) { return cached }

        let parsed = try JWT.parse(token)
        guard parsed.header.typ == JWT.serviceTokenType else { throw .wrongType(parsed.header.typ ?? "none") }
        guard let kid = parsed.header.kid, let key = trustedKeys[kid], let caller = ServiceName(rawValue: kid) else {
            throw .unknownKey(parsed.header.kid ?? "none")
        }
        try parsed.verifySignature(with: key)
        let claims = try parsed.claims(ServiceTokenClaims.self)
        try time.check(expiresAt: claims.exp, notBefore: nil, issuedAt: claims.iat, now: now)
        guard claims.exp - claims.iat <= maximumLifetime else { throw .expired }
        guard claims.iss == kid else { throw .wrongIssuer }
        guard claims.aud == service.rawValue else { throw .wrongAudience }
        cache.insert(caller, for: digest, expiresAt: claims.exp + time.leeway, session: nil)
        return caller
    }
}
