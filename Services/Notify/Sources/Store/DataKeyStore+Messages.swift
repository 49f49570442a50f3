import Foundation
import MusterCore
import MusterCrypto
import MusterDatabase
import Synchronization

/// Seals message data under each scope's data key (AES-256-GCM), the key itself
/// wrapped by the master key and stored in the scope's `data_key` table. Keys are
/// created on first use and cached unwrapped in memory.
///
/// The message id is the associated data: a sealed blob copied to another message does not open.
final class DataKeys: Sendable {
    private let ring: MasterKeyRing
    private let cache = Mutex<[MailScope: SymmetricKey]>([:])

    init(ring: MasterKeyRing) {
        self.ring = ring
    }

    func seal(_ data: [String: String], for message: MessageID, scope: MailScope, in tx: Transaction) async throws -> [UInt8] {
        try AESGCM.seal(try JSONCoding.encode(data), with: try await key(scope, in: tx), aad: Array(message.description.utf8))
    }

    func open(_ sealed: [UInt8], for message: MessageID, scope: MailScope, in tx: Transaction) async throws -> [String: String] {
        let plain = try AESGCM.open(sealed, with: try await key(scope, in: tx), aad: Array(message.description.utf8))
        return try JSONCoding.decode([String: String].self, from: plain)
    }

    private func key(_ scope: MailScope, in tx: Transaction) async throws -> SymmetricKey {
        if let key = cache.withLock({ $0[scope] }) { return key }
        let (fresh, wrapped) = try ring.newDataKey(context: scope.keyContext)
        // Two replicas may race to create it: the first insert wins and both read that one.
        var rows = try await tx.query("""
            WITH created AS (
                INSERT INTO \(scope.schema).data_key (wrapped) VALUES (\(wrapped.encoded))
                ON CONFLICT (singleton) DO NOTHING RETURNING wrapped)
            SELECT wrapped FROM created UNION ALL SELECT wrapped FROM \(scope.schema).data_key
            """)
        // A row another transaction committed while this statement ran is visible to the next one only.
        if rows.isEmpty { rows = try await tx.query("SELECT wrapped FROM \(scope.schema).data_key") }
        guard let row = rows.first else { throw DataKeyMissing(scope: scope.keyContext) }
        let stored = try WrappedDataKey(encoded: try row.decode("wrapped", as: String.self))
        let key = stored == wrapped ? fresh : try ring.unwrap(stored, context: scope.keyContext)
        cache.withLock { $0[scope] = key }
        return key
    }
}

struct DataKeyMissing: Error, CustomStringConvertible {
    let scope: String
    var description: String { "no data key for \(scope)" }
}
