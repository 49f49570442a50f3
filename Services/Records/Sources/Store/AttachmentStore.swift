import Foundation
import MusterCore
import MusterCrypto
import MusterDatabase
import MusterHTTP

/// Sealed evidence in `attachments`: each file sealed by ``FileSealer`` (kind
/// `attachment`, the attachment's id as associated data).
struct AttachmentStore: Sendable {
    let sealer: FileSealer

    struct Stored: Encodable, Sendable {
        let id: UUID
        let fileName: String
        let contentType: String
        let size: Int
        let sha256: String
    }

    /// The person an owner's file belongs to (nil for an expense without one); nil when there is no such owner.
    /// Whether the owner exists, whose file it is, and whether it is a training record still waiting for approval.
    static func owner(_ owner: AttachmentOwner, _ id: UUID, in tx: Transaction) async throws -> (exists: Bool, person: PersonID?, pending: Bool) {
        let rows: Rows
        switch owner {
        case .trainingRecord: rows = try await tx.query("SELECT person_id, status = 'pending' AS pending FROM training_records WHERE id = \(id)")
        case .certification: rows = try await tx.query("SELECT person_id, false AS pending FROM certifications WHERE id = \(id)")
        case .expense: rows = try await tx.query("SELECT person_id, false AS pending FROM expenses WHERE id = \(id) AND voided_at IS NULL")
        }
        guard let row = rows.first else { return (false, nil, false) }
        return (true, try row.decode("person_id", as: UUID?.self).map(PersonID.init), try row.decode("pending", as: Bool.self))
    }

    func insert(_ bytes: [UInt8], type: AttachmentType, fileName: String, owner: AttachmentOwner, ownerID: UUID,
                by user: UserID, agency: AgencyID, in tx: Transaction) async throws -> Stored {
        let id = UUID()
        let sealed = try await sealer.seal(bytes, kind: "attachment", id: id, agency: agency, in: tx)
        let digest = SHA256.hash(bytes)
        let column = ownerID
        try await tx.execute("""
            INSERT INTO attachments (id, owner_kind, training_record_id, certification_id, expense_id, file_name, content_type,
                                     size, sha256, sealed, created_by)
            VALUES (\(id), \(owner.rawValue), \(owner == .trainingRecord ? column : nil), \(owner == .certification ? column : nil),
                    \(owner == .expense ? column : nil), \(fileName), \(type.rawValue), \(bytes.count), \(digest), \(sealed), \(user))
            """)
        return Stored(id: id, fileName: fileName, contentType: type.rawValue, size: bytes.count, sha256: Hex.encode(digest))
    }

    /// The attachment's original bytes and how to serve them; nil when the owner has no such attachment.
    func read(_ id: UUID, owner: AttachmentOwner, ownerID: UUID, agency: AgencyID,
              in tx: Transaction) async throws -> (file: Stored, bytes: [UInt8])? {
        guard let row = try await tx.query("""
            SELECT file_name, content_type, size, sha256, sealed FROM attachments
            WHERE id = \(id) AND owner_kind = \(owner.rawValue) AND deleted_at IS NULL
              AND coalesce(training_record_id, certification_id, expense_id) = \(ownerID)
            """).first else { return nil }
        let bytes = try await sealer.open(try row.decode("sealed", as: [UInt8].self), kind: "attachment", id: id, agency: agency, in: tx)
        let file = Stored(id: id, fileName: try row.decode("file_name", as: String.self), contentType: try row.decode("content_type", as: String.self),
                          size: try row.decode("size", as: Int.self), sha256: Hex.encode(try row.decode("sha256", as: [UInt8].self)))
        return (file, bytes)
    }
}
