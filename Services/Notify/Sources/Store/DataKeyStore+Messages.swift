import MusterCore
import MusterDataKeys
import MusterDatabase

/// Message data sealed under its scope's data key (``DataKeyStore``). The message
/// id is the associated data: a sealed blob copied to another message does not open.
extension DataKeyStore {
    func seal(_ data: [String: String], for message: MessageID, scope: Tenancy, in tx: Transaction) async throws -> [UInt8] {
        try await seal(try JSONCoding.encode(data), aad: Array(message.description.utf8), tenancy: scope, in: tx)
    }

    func open(_ sealed: [UInt8], for message: MessageID, scope: Tenancy, in tx: Transaction) async throws -> [String: String] {
        let plain = try await open(sealed, aad: Array(message.description.utf8), tenancy: scope, in: tx)
        return try JSONCoding.decode([String: String].self, from: plain)
    }
}
