import MusterCrypto
import MusterDatabase
import Synchronization

/// Seals data under a schema's own data key (AES-256-GCM), the key itself wrapped
/// by the master key (``MasterKeyRing``) and stored in that schema's `data_key`
/// table (one row). A key is created on first use and kept unwrapped in memory.
///
/// ```swift
/// let keys = DataKeyStore(ring: try MasterKeyRing(environment: environment))
/// try await pool.withAgency(agency) { tx in
///     let sealed = try await keys.seal(file, aad: Array(attachment.description.utf8), tenancy: .agency(agency), in: tx)
/// }
/// ```
/// The tenancy (the agency id, or `platform`) is bound into the key's wrapping, so
/// a wrapped key copied to another schema does not unwrap; `aad` binds a sealed
/// blob to the row it belongs to, so a blob copied to another row does not open.
///
/// The table every schema using it needs:
/// ```sql
/// CREATE TABLE data_key (
///     singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
///     wrapped    text NOT NULL,
///     created_at timestamptz NOT NULL DEFAULT now()
/// );
/// ```
public final class DataKeyStore: Sendable {
    private let ring: MasterKeyRing
    private let cache = Mutex<[Tenancy: SymmetricKey]>([:])

    public init(ring: MasterKeyRing) {
        self.ring = ring
    }

    public func seal(_ plaintext: some Sequence<UInt8>, aad: [UInt8], tenancy: Tenancy,
                     in tx: Transaction) async throws -> [UInt8] {
        try AESGCM.seal(plaintext, with: try await key(of: tenancy, in: tx), aad: aad)
    }

    public func open(_ sealed: some Sequence<UInt8>, aad: [UInt8], tenancy: Tenancy,
                     in tx: Transaction) async throws -> [UInt8] {
        try AESGCM.open(sealed, with: try await key(of: tenancy, in: tx), aad: aad)
    }

    /// The schema's data key, created (and stored wrapped) if it has none yet.
    public func key(of tenancy: Tenancy, in tx: Transaction) async throws -> SymmetricKey {
        if let key = cache.withLock({ $0[tenancy] }) { return key }
        let schema = tenancy.schema
        // Fixed: keys already stored were wrapped with it.
        let context = tenancy.agencyID?.description ?? "platform"
        let (fresh, wrapped) = try ring.newDataKey(context: context)
        // Two replicas may race to create it: the first insert wins and both read that one.
        var rows = try await tx.query("""
            WITH created AS (
                INSERT INTO \(schema).data_key (wrapped) VALUES (\(wrapped.encoded))
                ON CONFLICT (singleton) DO NOTHING RETURNING wrapped)
            SELECT wrapped FROM created UNION ALL SELECT wrapped FROM \(schema).data_key
            """)
        // A row another transaction committed while this statement ran is visible to the next one only.
        if rows.isEmpty { rows = try await tx.query("SELECT wrapped FROM \(schema).data_key") }
        guard let row = rows.first else { throw DataKeyMissing(schema: schema) }
        let stored = try WrappedDataKey(encoded: try row.decode("wrapped", as: String.self))
        let key = stored == wrapped ? fresh : try ring.unwrap(stored, context: context)
        cache.withLock { $0[tenancy] = key }
        return key
    }
}

/// The `data_key` table gave no row even after an insert (it should never happen).
public struct DataKeyMissing: Error, CustomStringConvertible {
    public let schema: SchemaName
    public var description: String { "no data key in \(schema)" }
}
