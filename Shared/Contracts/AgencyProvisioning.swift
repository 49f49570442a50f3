import MusterCore

/// `PUT /internal/agencies/{id}` on Records, Audit and Notify: create (or confirm)
/// the agency's schema. Idempotent: Identity's reconciler may call it again.
public struct ProvisionAgencyRequest: Codable, Sendable, Equatable {
    public var slug: String
    public var name: String

    public init(slug: String, name: String) {
        self.slug = slug
        self.name = name
    }
}

/// The answer to a provisioning call: the schema exists at `schemaVersion`.
public struct ProvisionAgencyResponse: Codable, Sendable, Equatable {
    public var agencyID: AgencyID
    public var schemaVersion: Int
    public var status: String

    public init(agencyID: AgencyID, schemaVersion: Int, status: String = "active") {
        self.agencyID = agencyID
        self.schemaVersion = schemaVersion
        self.status = status
    }
}
