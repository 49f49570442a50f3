import MusterContracts
import MusterCore
import MusterCrypto
import MusterDatabase
import MusterService

/// `identity rotate-master-key`: rewraps every agency data key and every signing
/// key's data key under the current master key, one row at a time, so that
/// running processes (configured with the new key as current and the old one in
/// `MUSTER_MASTER_KEY_PREVIOUS`) keep working throughout. Then the old key can go.
enum MasterKeyRotation {
    static func run(_ services: IdentityRuntime) async throws -> Int32 {
        _ = try await services.context.migrator?.migrate()
        let ring = services.registry.ring
        let db = services.db
        var rewrapped = 0
        for row in try await db.query("SELECT id, data_key FROM \(SchemaName.platform).agencies WHERE data_key IS NOT NULL") {
            let id = try row.decode("id", as: AgencyID.self)
            let wrapped = try WrappedDataKey(encoded: try row.decode("data_key", as: String.self))
            guard ring.needsRewrap(wrapped) else { continue }
            let fresh = try ring.rewrap(wrapped, context: id.description)
            rewrapped += try await db.execute("""
                UPDATE \(SchemaName.platform).agencies SET data_key = \(fresh.encoded) WHERE id = \(id) AND data_key = \(wrapped.encoded)
                """)
        }
        for row in try await db.query("SELECT kid, wrapped_key FROM \(SchemaName.platform).signing_keys") {
            let kid = try row.decode("kid", as: String.self)
            let wrapped = try WrappedDataKey(encoded: try row.decode("wrapped_key", as: String.self))
            guard ring.needsRewrap(wrapped) else { continue }
            let fresh = try ring.rewrap(wrapped, context: SigningKeys.context(kid))
            rewrapped += try await db.execute("""
                UPDATE \(SchemaName.platform).signing_keys SET wrapped_key = \(fresh.encoded) WHERE kid = \(kid) AND wrapped_key = \(wrapped.encoded)
                """)
        }
        try await AuditTrail(agency: nil).record(
            "key.master.rotated", actor: .service(.identity), target: .init(type: "master_key", id: ring.current.id),
            reason: "\(rewrapped) keys rewrapped", in: db)
        print("\(rewrapped) keys rewrapped under master key \(ring.current.id)")
        return 0
    }
}
