import MusterAuth
import MusterCrypto
import MusterDatabase

/// Audit's checkpoint-signing keys: Ed25519, the private halves sealed at rest under
/// the master key (`MUSTER_MASTER_KEY`, bound to each key's kid), `kid` = RFC 7638
/// thumbprint. One key is active; rotation adds a new active key and retires the
/// old one, which stays published so that its checkpoints still verify.
///
/// ```swift
/// let keys = AuditKeys(pool: pool, ring: try MasterKeyRing(environment: environment))
/// let key = try await keys.signingKey()         // creates the first key on first use
/// let published = try await keys.jwks()         // GET /api/v1/audit/keys
/// ```
public struct AuditKeys: Sendable {
    let store: SigningKeyStore
    let ring: MasterKeyRing

    public init(pool: DatabasePool, ring: MasterKeyRing) {
        store = SigningKeyStore(pool: pool)
        self.ring = ring
    }

    public struct KeyError: Error, CustomStringConvertible {
        public let description: String
    }

    /// The active key, unsealed; creates one when there is none yet.
    public func signingKey() async throws -> AuditSigningKey {
        if let active = try await store.all().first(where: { !$0.retired }) { return try unseal(active) }
        try await activate(AuditSigningKey(privateKey: Ed25519.PrivateKey()), onlyIfNone: true)
        guard let active = try await store.all().first(where: { !$0.retired }) else { throw KeyError(description: "no active signing key") }
        return try unseal(active)
    }

    /// Makes a fresh key the active one; the previous key is retired, still published.
    @discardableResult
    public func rotate() async throws -> AuditSigningKey {
        let key = AuditSigningKey(privateKey: Ed25519.PrivateKey())
        try await activate(key, onlyIfNone: false)
        return key
    }

    /// Every key's public half by kid. A row whose public key does not hash to its
    /// kid (altered in the database) is left out, so checkpoints naming it fail.
    public func publicKeys() async throws -> [String: Ed25519.PublicKey] {
        var keys: [String: Ed25519.PublicKey] = [:]
        for row in try await store.all() {
            guard let key = try? Ed25519.PublicKey(rawRepresentation: row.publicKey), AuditSigningKey.kid(of: key) == row.kid else {
                continue
            }
            keys[row.kid] = key
        }
        return keys
    }

    /// The published set (active key first): `{"keys":[{"kty":"OKP","crv":"Ed25519","x":…,"kid":…,"use":"sig","alg":"EdDSA"}]}`.
    public func jwks() async throws -> JWKSet {
        let keys = try await publicKeys()
        return JWKSet(keys: try await store.all().compactMap { row in keys[row.kid].map { JWK(publicKey: $0, kid: row.kid) } })
    }

    private func activate(_ key: AuditSigningKey, onlyIfNone: Bool) async throws {
        let sealed = try ring.wrap(try SymmetricKey(rawRepresentation: key.privateKey.rawRepresentation), context: Self.context(key.kid))
        try await store.activate(kid: key.kid, publicKey: key.privateKey.publicKey.rawRepresentation, sealed: sealed.encoded,
                                 onlyIfNone: onlyIfNone)
    }

    private func unseal(_ row: SigningKeyStore.Row) throws -> AuditSigningKey {
        let seed = try ring.unwrap(try WrappedDataKey(encoded: row.sealedPrivateKey), context: Self.context(row.kid))
        let key = AuditSigningKey(privateKey: try Ed25519.PrivateKey(rawRepresentation: seed.rawRepresentation))
        guard key.kid == row.kid else { throw KeyError(description: "signing key \(row.kid) does not match its kid") }
        return key
    }

    /// The Ed25519 seed is 32 bytes, the size of a data key, so the key ring seals it directly.
    private static func context(_ kid: String) -> String { "audit-signing-key:\(kid)" }
}
