import MusterContracts
import MusterCore
import MusterDatabase
import MusterHTTP
import MusterService

/// Records' audit events: the shared ``AuditTrail`` of the request, with the caller
/// as actor, and the before and after values of every field a change touched.
///
/// ```swift
/// try await audit.record("personnel.updated", target: .init(type: "person", id: id.description),
///                        before: old, after: new, in: tx)
/// ```
struct RecordsAudit: Sendable {
    let agency: AgencyID
    let trail: AuditTrail
    let actor: AuditActor

    init(_ request: HTTPRequest, caller: RecordsCaller) throws(HTTPError) {
        let user = try request.context.requireUser()
        agency = user.agencyID
        trail = AuditTrail(request, agency: user.agencyID)
        actor = .principal(user)
    }

    /// An event for a change from `before` (nil: created) to `after` (nil: removed).
    func record(_ action: String, target: AuditTarget, before: [String: JSONValue]?, after: [String: JSONValue]?,
                reason: String? = nil, in tx: some SQLQuerying) async throws {
        let changes = Self.changes(before: before ?? [:], after: after ?? [:])
        try await trail.record(action, actor: actor, target: target, changes: changes.isEmpty ? nil : changes, reason: reason, in: tx)
    }

    /// An event without field changes (a read of someone's file, a download).
    func record(_ action: String, target: AuditTarget, reason: String? = nil, in tx: some SQLQuerying) async throws {
        try await trail.record(action, actor: actor, target: target, reason: reason, in: tx)
    }

    /// The fields whose values differ (bookkeeping fields aside): what a change's audit event and version row record.
    static func changes(before: [String: JSONValue], after: [String: JSONValue]) -> [String: AuditChange] {
        AuditChange.between(before, after, ignoring: ignored)
    }

    private static let ignored: Set<String> = ["updated_at", "created_at", "version", "updated_by"]
}

extension AuditTarget {
    static func records(_ type: String, _ id: some CustomStringConvertible) -> AuditTarget {
        AuditTarget(type: type, id: id.description)
    }
}
