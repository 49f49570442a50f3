import MusterDatabase

/// The SQL of Audit's checkpoint-signing keys (`platform.signing_keys`).
struct SigningKeyStore: Sendable {
    let pool: DatabasePool

    struct Row: Sendable {
        var kid: String
        var publicKey: [UInt8]
        var sealedPrivateKey: String
        var retired: Bool
    }

    /// Every key, newest first.
    func all() async throws -> [Row] {
        try await pool.query("""
            SELECT kid, public_key, sealed_private_key, retired_at IS NOT NULL AS retired
            FROM \(SchemaName.platform).signing_keys ORDER BY created_at DESC, kid
            """).map { row in
            Row(kid: try row.decode(column: 0), publicKey: try row.decode(column: 1), sealedPrivateKey: try row.decode(column: 2),
                retired: try row.decode(column: 3))
        }
    }

    /// Adds `key` as the active key and retires the others, in one transaction that
    /// holds the keys' advisory lock (replicas starting together create one key).
    /// With `onlyIfNone`, does nothing when an active key exists already.
    func activate(kid: String, publicKey: [UInt8], sealed: String, onlyIfNone: Bool) async throws {
        try await pool.transaction { tx in
            _ = try await tx.query("SELECT pg_advisory_xact_lock(\(Self.lockNamespace), 1)")
            if onlyIfNone {
                let active = try await tx.query("SELECT 1 FROM \(SchemaName.platform).signing_keys WHERE retired_at IS NULL LIMIT 1")
                if !active.isEmpty { return }
            }
            try await tx.execute("UPDATE \(SchemaName.platform).signing_keys SET retired_at = now() WHERE retired_at IS NULL")
            try await tx.execute("""
                INSERT INTO \(SchemaName.platform).signing_keys (kid, public_key, sealed_private_key)
                VALUES (\(kid), \(publicKey), \(sealed))
                """)
        }
    }

    /// Advisory-lock namespace of Audit's own coordination ("AUDT").
    static let lockNamespace: Int32 = 0x4155_4454
}
