import MusterCore
import MusterDatabase

/// Whose mail a message is: an agency's (in its schema) or the platform's
/// (agency-less mail, in `platform`). The same tables exist in both.
enum MailScope: Hashable, Sendable {
    case agency(AgencyID)
    case platform

    init(_ agency: AgencyID?) {
        self = agency.map(MailScope.agency) ?? .platform
    }

    var agencyID: AgencyID? {
        if case .agency(let id) = self { return id }
        return nil
    }

    var schema: SchemaName {
        switch self {
        case .agency(let id): .agency(id)
        case .platform: .platform
        }
    }

    /// What a wrapped data key is bound to, so that it opens in this scope only.
    var keyContext: String { agencyID?.description ?? "platform" }

    /// A transaction for this scope's tables: agency data only ever inside `withAgency`.
    func transaction<Value>(_ pool: DatabasePool, _ body: (Transaction) async throws -> Value) async throws -> Value {
        switch self {
        case .agency(let id): try await pool.withAgency(id, body)
        case .platform: try await pool.transaction(body)
        }
    }
}
