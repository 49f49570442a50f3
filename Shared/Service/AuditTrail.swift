import MusterContracts
import MusterCore
import MusterDatabase
import MusterHTTP
import MusterOutbox

/// The one way a service builds the audit events a request causes: the agency,
/// and where the request came from (client address, user agent, request id),
/// taken once; the actor, action, target and changes given per event.
/// ``record(_:actor:target:outcome:changes:reason:in:)`` writes the event into the
/// outbox in the caller's transaction, so it exists exactly when the change commits.
///
/// Never put a secret, password, token or TOTP seed in an event.
///
/// ```swift
/// let audit = AuditTrail(request, agency: admin.agencyID)
/// try await audit.record("user.updated", actor: .principal(admin), target: AuditTarget(type: "user", id: id.description),
///                        changes: ["title": .init(before: "Officer", after: "Sergeant")], in: tx)
/// ```
public struct AuditTrail: Sendable {
    /// Nil for platform events (agency created, operator login).
    public let agency: AgencyID?
    public let source: AuditSource

    /// Events of `request`, in `agency`'s chain.
    public init(_ request: HTTPRequest, agency: AgencyID?) {
        self.init(source: AuditSource(request), agency: agency)
    }

    /// Events no request caused (a command, provisioning): their source has no values.
    public init(source: AuditSource = AuditSource(ip: nil, userAgent: nil, requestID: nil), agency: AgencyID?) {
        self.source = source
        self.agency = agency
    }

    /// The event, for a service that stores it itself (Audit) or batches it.
    public func event(_ action: String, actor: AuditActor, target: AuditTarget? = nil, outcome: AuditOutcome = .success,
                      changes: [String: AuditChange]? = nil, reason: String? = nil) -> AuditEvent {
        AuditEvent(agencyID: agency, actor: actor, action: action, target: target, outcome: outcome,
                   source: source, changes: changes, reason: reason)
    }

    /// The event, written into the outbox in `tx`.
    public func record(_ action: String, actor: AuditActor, target: AuditTarget? = nil, outcome: AuditOutcome = .success,
                       changes: [String: AuditChange]? = nil, reason: String? = nil, in tx: some SQLQuerying) async throws {
        try await Outbox.enqueue(event(action, actor: actor, target: target, outcome: outcome, changes: changes, reason: reason),
                                 in: tx)
    }
}

extension AuditSource {
    /// Where `request` came from: the client address (the Gateway's `X-Forwarded-For`
    /// hop when it forwarded the request), the user agent cut to 300 characters, the
    /// request id.
    public init(_ request: HTTPRequest) {
        let address = request.context.clientAddress
        self.init(ip: address.isEmpty ? nil : address, userAgent: request.headers["User-Agent"].map { String($0.prefix(300)) },
                  requestID: request.id)
    }
}
