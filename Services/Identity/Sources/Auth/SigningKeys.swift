import Foundation
import MusterAuth
import MusterCore
import MusterCrypto
import MusterDatabase
import Synchronization

/// The Ed25519 keys that sign access tokens, kept in `platform.signing_keys`
/// with each private key sealed under a data key that the master key wraps.
///
/// The newest key signs; keys superseded less than `publishedAfterSupersede` ago
/// stay in the JWKS so tokens they signed remain valid until they expire. Every
/// replica reloads the set every `reloadInterval`, so `identity rotate-signing-key`
/// takes effect without a restart. Also the `KeySource` of Identity's own verifier.
///
/// ```swift
/// let keys = SigningKeys(pool: db, ring: masterKeys)
/// try await keys.ensureOne()
/// let token = try JWT.sign(claims, type: JWT.accessTokenType, key: try await keys.current())
/// ```
final class SigningKeys: KeySource {
    static let reloadInterval: Duration = .seconds(30)
    /// Longer than any access token lives.
    static let publishedAfterSupersede = "1 day"

    private struct Loaded {
        var signing: JWTSigningKey
        var published: JWKSet
        var at: ContinuousClock.Instant
    }

    private let pool: DatabasePool
    private let ring: MasterKeyRing
    private let loaded = Mutex<Loaded?>(nil)

    init(pool: DatabasePool, ring: MasterKeyRing) {
        self.pool = pool
        self.ring = ring
    }

    /// The key that signs now.
    func current() async throws -> JWTSigningKey { try await state().signing }

    /// The public keys to publish at `/.well-known/jwks.json`.
    func fetchKeys() async throws -> JWKSet { try await state().published }

    /// Creates the first key when there is none (first start).
    func ensureOne() async throws {
        let count = try await pool.query("SELECT count(*) AS n FROM \(SchemaName.platform).signing_keys")[0].decode("n", as: Int.self)
        if count == 0 { _ = try await Self.add(pool: pool, ring: ring) }
    }

    /// Adds a new signing key and marks the others superseded; returns its `kid`.
    static func add(pool: DatabasePool, ring: MasterKeyRing) async throws -> String {
        let key = JWTSigningKey(privateKey: Ed25519.PrivateKey())
        let (dataKey, wrapped) = try ring.newDataKey(context: context(key.kid))
        let sealed = try AESGCM.seal(key.privateKey.rawRepresentation, with: dataKey, aad: Array(key.kid.utf8))
        try await pool.transaction { tx in
            try await tx.execute("UPDATE \(SchemaName.platform).signing_keys SET superseded_at = now() WHERE superseded_at IS NULL")
            try await tx.execute("""
                INSERT INTO \(SchemaName.platform).signing_keys (kid, public_key, wrapped_key, sealed_private_key)
                VALUES (\(key.kid), \(key.privateKey.publicKey.rawRepresentation), \(wrapped.encoded), \(sealed))
                """)
        }
        return key.kid
    }

    /// The wrapping context of a signing key's data key.
    static func context(_ kid: String) -> String { "signing-key:\(kid)" }

    /// Forgets the loaded keys (after a rotation in this process).
    func reload() { loaded.withLock { $0 = nil } }

    private func state() async throws -> Loaded {
        if let current = loaded.withLock({ $0 }), current.at.duration(to: .now) < Self.reloadInterval { return current }
        let rows = try await pool.query("""
            SELECT kid, public_key, wrapped_key, sealed_private_key, superseded_at IS NULL AS current
            FROM \(SchemaName.platform).signing_keys
            WHERE superseded_at IS NULL OR superseded_at > now() - \(Self.publishedAfterSupersede)::interval
            ORDER BY created_at DESC
            """)
        var signing: JWTSigningKey?
        var published: [JWK] = []
        for row in rows {
            let kid = try row.decode("kid", as: String.self)
            published.append(JWK(publicKey: try Ed25519.PublicKey(rawRepresentation: try row.decode("public_key", as: [UInt8].self)), kid: kid))
            if signing == nil, try row.decode("current", as: Bool.self) {
                let dataKey = try ring.unwrap(try WrappedDataKey(encoded: try row.decode("wrapped_key", as: String.self)), context: Self.context(kid))
                let raw = try AESGCM.open(try row.decode("sealed_private_key", as: [UInt8].self), with: dataKey, aad: Array(kid.utf8))
                signing = JWTSigningKey(privateKey: try Ed25519.PrivateKey(rawRepresentation: raw), kid: kid)
            }
        }
        guard let signing else { throw SigningKeyError.none }
        let fresh = Loaded(signing: signing, published: JWKSet(keys: published), at: .now)
        loaded.withLock { $0 = fresh }
        return fresh
    }
}

enum SigningKeyError: Error, CustomStringConvertible {
    case none
    var description: String { "no signing key: run `identity serve` once or `identity rotate-signing-key`" }
}
