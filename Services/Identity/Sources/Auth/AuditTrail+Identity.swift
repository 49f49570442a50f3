import MusterAuth
import MusterContracts
import MusterCore
import MusterHTTP
import MusterService

/// Identity's audit events, built with the shared ``AuditTrail``.
///
/// Events of the operators' own agency are platform events (`agency_id` nil).
///
/// ```swift
/// try await AuditTrail(request: request, agency: agency).record("auth.login.succeeded", actor: .user(id, roles: roles),
///                                                              target: .user(id), in: tx)
/// ```
extension AuditTrail {
    /// Events of `request` in `agency`'s chain; the `platform` agency's go to the platform chain.
    init(request: HTTPRequest, agency: AgencyRecord?) {
        self.init(request, agency: agency.flatMap { $0.isPlatform ? nil : $0.id })
    }
}

extension AuditTarget {
    static func user(_ id: UserID) -> AuditTarget { AuditTarget(type: "user", id: id.description) }
    static func session(_ id: SessionID) -> AuditTarget { AuditTarget(type: "session", id: id.description) }
    static func agency(_ id: AgencyID) -> AuditTarget { AuditTarget(type: "agency", id: id.description) }
}

extension AuditChange {
    static func roles(_ before: [Role], _ after: [Role]) -> AuditChange {
        AuditChange(before: .array(before.map { .string($0.rawValue) }), after: .array(after.map { .string($0.rawValue) }))
    }
}
