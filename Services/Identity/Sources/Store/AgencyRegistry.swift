import Foundation
import MusterCore
import MusterCrypto
import MusterDatabase

enum AgencyStatus: String, Codable, Sendable, SQLBindable {
    case provisioning, active, suspended, deprovisioning
}

/// One row of the tenant registry (`platform.agencies`).
struct AgencyRecord: Decodable, Sendable {
    let id: AgencyID
    let slug: String
    let name: String
    let status: AgencyStatus
    let dataKey: String?
    let provisionedServices: [String]
    let lastProvisioningError: String?
    let createdAt: Date
    let updatedAt: Date

    var isPlatform: Bool { slug == AgencySlug.platform.rawValue }

    /// Whether its people may sign in: active, or still being provisioned in the
    /// other services (Identity's part is done first). Suspended agencies may not.
    var acceptsSignIn: Bool { status == .active || status == .provisioning }
}

/// The tenant registry: agencies by id or slug, their status and data keys.
///
/// ```swift
/// guard let agency = try await registry.find(slug: "metro-pd"), agency.status == .active else { … }
/// let key = try registry.dataKey(of: agency)   // unwraps the agency's AES key
/// ```
struct AgencyRegistry: Sendable {
    let pool: DatabasePool
    let ring: MasterKeyRing

    static let columns: SQL = """
        id, slug, name, status, data_key, provisioned_services, last_provisioning_error, created_at, updated_at
        """

    func find(slug: String) async throws -> AgencyRecord? {
        try await pool.query("SELECT \(Self.columns) FROM \(SchemaName.platform).agencies WHERE slug = \(slug)",
                             decoding: AgencyRecord.self).first
    }

    func find(id: AgencyID, in db: some SQLQuerying) async throws -> AgencyRecord? {
        try await db.query(Self.selecting(id: id), decoding: AgencyRecord.self).first
    }

    /// The statement of ``find(id:in:)``, to send with others in one round trip.
    static func selecting(id: AgencyID) -> SQL {
        "SELECT \(columns) FROM \(SchemaName.platform).agencies WHERE id = \(id)"
    }

    func find(id: AgencyID) async throws -> AgencyRecord? { try await find(id: id, in: pool) }

    /// Agencies other than `platform`, by slug, after `cursor`'s slug.
    func list(after slug: String?, limit: Int) async throws -> [AgencyRecord] {
        try await pool.query("""
            SELECT \(Self.columns) FROM \(SchemaName.platform).agencies
            WHERE slug <> \(AgencySlug.platform.rawValue) AND slug > \(slug ?? "")
            ORDER BY slug LIMIT \(limit)
            """, decoding: AgencyRecord.self)
    }

    /// Moves an agency from one status to another; `false` when it was not in `from`.
    func transition(_ id: AgencyID, from: [AgencyStatus], to: AgencyStatus, in tx: some SQLQuerying) async throws -> Bool {
        try await tx.execute("""
            UPDATE \(SchemaName.platform).agencies SET status = \(to), updated_at = now()
            WHERE id = \(id) AND status = ANY(\(from.map(\.rawValue)))
            """) == 1
    }

    /// The agency's data key, unwrapped (seals TOTP seeds).
    func dataKey(of agency: AgencyRecord) throws -> SymmetricKey {
        guard let text = agency.dataKey else { throw CryptoError.malformed("agency \(agency.id) has no data key") }
        return try ring.unwrap(try WrappedDataKey(encoded: text), context: agency.id.description)
    }

    /// A new wrapped data key for a new agency.
    func newWrappedDataKey(for agency: AgencyID) throws -> String {
        try ring.newDataKey(context: agency.description).wrapped.encoded
    }
}
