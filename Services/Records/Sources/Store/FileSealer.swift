import Foundation
import MusterCore
import MusterDataKeys
import MusterDatabase

/// Files Records keeps sealed at rest (evidence, policy documents): AES-256-GCM under
/// the agency's data key (``DataKeyStore``) with `<kind>:<id>` as associated data, so
/// no plaintext reaches PostgreSQL and a blob moved to another row, or to another kind
/// of row, does not open.
///
/// ```swift
/// let sealed = try await sealer.seal(bytes, kind: "attachment", id: id, agency: agency, in: tx)
/// let bytes = try await sealer.open(sealed, kind: "attachment", id: id, agency: agency, in: tx)
/// ```
struct FileSealer: Sendable {
    let keys: DataKeyStore

    func seal(_ bytes: [UInt8], kind: String, id: UUID, agency: AgencyID, in tx: Transaction) async throws -> [UInt8] {
        try await keys.seal(bytes, aad: Self.aad(kind, id), tenancy: .agency(agency), in: tx)
    }

    func open(_ sealed: [UInt8], kind: String, id: UUID, agency: AgencyID, in tx: Transaction) async throws -> [UInt8] {
        try await keys.open(sealed, aad: Self.aad(kind, id), tenancy: .agency(agency), in: tx)
    }

    private static func aad(_ kind: String, _ id: UUID) -> [UInt8] { Array("\(kind):\(id.uuidString.lowercased())".utf8) }
}
