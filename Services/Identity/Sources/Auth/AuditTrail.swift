import MusterAuth
import MusterContracts
import MusterCore
import MusterDatabase
import MusterHTTP
import MusterOutbox

/// Writes Identity's security events into the outbox, in the caller's transaction.
///
/// Events of the operators' own agency are platform events (`agency_id` nil).
/// Never put a secret, password, token or TOTP seed in an event.
///
/// ```swift
/// try await AuditTrail(request: request, agency: agency).record("auth.login.succeeded", actor: .user(id, roles: roles),
///                                                              target: .user(id), in: tx)
/// ```
struct AuditTrail: Sendable {
    let source: AuditSource
    /// Nil for the `platform` agency.
    let agency: AgencyID?

    init(request: HTTPRequest, agency: AgencyRecord?) {
        source = AuditSource(ip: request.context.clientAddress, userAgent: request.headers["User-Agent"].map { String($0.prefix(300)) },
                             requestId: request.id)
        self.agency = agency.flatMap { $0.isPlatform ? nil : $0.id }
    }

    init(source: AuditSource, agency: AgencyID?) {
        self.source = source
        self.agency = agency
    }

    func record(_ action: String, actor: AuditActor, target: AuditTarget? = nil, outcome: AuditOutcome = .success,
                changes: [String: AuditChange]? = nil, reason: String? = nil, in tx: some SQLQuerying) async throws {
        try await Outbox.enqueue(AuditEvent(agencyId: agency, actor: actor, action: action, target: target, outcome: outcome,
                                            source: source, changes: changes, reason: reason), in: tx)
    }
}

extension AuditActor {
    /// The calling user; an operator under a support grant is marked as such.
    static func principal(_ user: UserPrincipal) -> AuditActor {
        AuditActor(kind: .user, userId: user.userID, roles: user.roles.sorted(), supportGrantId: user.supportGrantID)
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
