import Foundation
import MusterCore

/// One hash chain: an agency's trail, or the platform's (agency created or
/// suspended, operator logins: events sent with no agency).
///
/// Every chain lives in an agency-style schema, so storing, verifying, reading and
/// purging work the same for both; the platform chain's schema is named after a
/// reserved id (the nil UUID) that no agency can have, and is provisioned at start.
///
/// ```swift
/// let chain = AuditChain(agency: event.agencyID)     // nil → .platform
/// try await pool.withAgency(chain.storageID) { tx in … }
/// ```
public enum AuditChain: Hashable, Sendable, CustomStringConvertible {
    case platform
    case agency(AgencyID)

    /// The schema key of the platform chain: `agency_000…0`.
    public static let platformStorageID = AgencyID(UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)))

    /// The slug `audit verify --agency` knows the platform chain by.
    public static let platformSlug = "platform"

    public init(agency: AgencyID?) {
        if let agency, agency != Self.platformStorageID {
            self = .agency(agency)
        } else {
            self = .platform
        }
    }

    /// The id whose schema holds this chain (`pool.withAgency(chain.storageID)`).
    public var storageID: AgencyID {
        switch self {
        case .platform: Self.platformStorageID
        case .agency(let id): id
        }
    }

    /// The agency as written into each event and checkpoint (nil for the platform).
    public var agencyID: AgencyID? {
        if case .agency(let id) = self { return id }
        return nil
    }

    public var description: String { agencyID?.description ?? Self.platformSlug }
}
