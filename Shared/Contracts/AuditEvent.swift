import Foundation
import MusterAuth
import MusterCore

/// One audit event, as every service hands it to Audit through its outbox
/// (`POST /internal/events`). `id` is the idempotency key: Audit ignores an id it has.
///
/// A service builds the events a request causes with `AuditTrail` (MusterService):
///
/// ```swift
/// let event = AuditTrail(request, agency: admin.agencyID)
///     .event("user.updated", actor: .principal(admin), target: .init(type: "user", id: userID.description),
///            changes: ["title": .init(before: "Officer", after: "Sergeant")])
/// ```
public struct AuditEvent: Codable, Sendable, Equatable {
    public var id: EventID
    /// Nil for platform events (agency created, operator login).
    public var agencyID: AgencyID?
    public var occurredAt: Date
    public var actor: AuditActor
    /// Dotted name, e.g. `auth.login.failed`, `record.training.updated`.
    public var action: String
    public var target: AuditTarget?
    public var outcome: AuditOutcome
    public var source: AuditSource?
    /// Before/after of the changed fields; never secrets.
    public var changes: [String: AuditChange]?
    public var reason: String?

    public init(id: EventID = EventID(), agencyID: AgencyID?, occurredAt: Date = Date(), actor: AuditActor,
                action: String, target: AuditTarget? = nil, outcome: AuditOutcome = .success,
                source: AuditSource? = nil, changes: [String: AuditChange]? = nil, reason: String? = nil) {
        self.id = id
        self.agencyID = agencyID
        self.occurredAt = occurredAt
        self.actor = actor
        self.action = action
        self.target = target
        self.outcome = outcome
        self.source = source
        self.changes = changes
        self.reason = reason
    }
}

/// Who acted: a user (with the roles they held), a service, or an operator under a support grant.
public struct AuditActor: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable { case user, service, anonymous }
    public var kind: Kind
    public var userID: UserID?
    public var roles: [Role]?
    public var service: ServiceName?
    /// Set when a platform operator acts under an agency's support grant.
    public var supportGrantID: String?
    /// For failed logins and the like: what the caller claimed (e.g. an email), never a secret.
    public var claimed: String?

    public init(kind: Kind, userID: UserID? = nil, roles: [Role]? = nil, service: ServiceName? = nil,
                supportGrantID: String? = nil, claimed: String? = nil) {
        self.kind = kind
        self.userID = userID
        self.roles = roles
        self.service = service
        self.supportGrantID = supportGrantID
        self.claimed = claimed
    }

    public static func user(_ id: UserID, roles: [Role]) -> AuditActor { AuditActor(kind: .user, userID: id, roles: roles) }
    public static func service(_ service: ServiceName) -> AuditActor { AuditActor(kind: .service, service: service) }
    public static func anonymous(claimed: String? = nil) -> AuditActor { AuditActor(kind: .anonymous, claimed: claimed) }

    /// The calling user, with their roles; an operator under a support grant is marked as such.
    public static func principal(_ user: UserPrincipal) -> AuditActor {
        AuditActor(kind: .user, userID: user.userID, roles: user.roles.sorted(), supportGrantID: user.supportGrantID)
    }
}

public struct AuditTarget: Codable, Sendable, Equatable {
    public var type: String
    public var id: String
    public init(type: String, id: String) {
        self.type = type
        self.id = id
    }
}

public enum AuditOutcome: String, Codable, Sendable { case success, failure, denied }

/// Where the request came from.
public struct AuditSource: Codable, Sendable, Equatable {
    public var ip: String?
    public var userAgent: String?
    public var requestID: String?
    public init(ip: String?, userAgent: String?, requestID: String?) {
        self.ip = ip
        self.userAgent = userAgent
        self.requestID = requestID
    }
}

/// One field's value before and after a change (`null`: it had none, or has none now).
public struct AuditChange: Codable, Sendable, Equatable {
    public var before: JSONValue
    public var after: JSONValue
    public init(before: JSONValue, after: JSONValue) {
        self.before = before
        self.after = after
    }

    /// The fields whose values differ between two snapshots of a thing (a field
    /// missing from one side counts as `null`), leaving out the `ignored` ones
    /// (bookkeeping such as `updated_at`); empty when nothing changed.
    ///
    /// ```swift
    /// AuditChange.between(["title": "Officer", "updated_at": "…"], ["title": "Sergeant", "updated_at": "…"],
    ///                     ignoring: ["updated_at"])   // ["title": AuditChange(before: "Officer", after: "Sergeant")]
    /// ```
    public static func between(_ before: [String: JSONValue], _ after: [String: JSONValue],
                               ignoring ignored: Set<String> = []) -> [String: AuditChange] {
        var changes: [String: AuditChange] = [:]
        for key in Set(before.keys).union(after.keys) where !ignored.contains(key) {
            let old = before[key] ?? .null, new = after[key] ?? .null
            if old != new { changes[key] = AuditChange(before: old, after: new) }
        }
        return changes
    }
}

/// `POST /internal/events` body and answer.
public struct AuditEventBatch: Codable, Sendable {
    public var events: [AuditEvent]
    public init(events: [AuditEvent]) { self.events = events }
}

/// The answer to a batch (`POST /internal/events`, `POST /internal/messages`).
public struct AcceptedIDs: Codable, Sendable, Equatable {
    /// Every id now stored (newly or before): the relay deletes exactly these.
    public var accepted: [String]
    /// Items the destination did not take, and why (e.g. invalid, or their agency
    /// not provisioned yet). The relay keeps them and retries with backoff; absent
    /// when every item was accepted.
    public var rejected: [RejectedItem]?

    public init(accepted: [String], rejected: [RejectedItem]? = nil) {
        self.accepted = accepted
        self.rejected = rejected
    }
}

/// One item of a batch the destination refused, with a reason for the sender's logs.
public struct RejectedItem: Codable, Sendable, Equatable {
    /// The item's id as sent (empty when the item had no readable id).
    public var id: String
    public var reason: String

    public init(id: String, reason: String) {
        self.id = id
        self.reason = reason
    }
}
