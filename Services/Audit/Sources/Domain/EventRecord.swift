import Foundation
import MusterContracts
import MusterCore
import MusterTime

/// An event as Audit keeps it: validated and normalized from what a service sent
/// (``EventNormalizer``), before it takes its place in a chain.
///
/// Every field round-trips through its column unchanged, so the canonical encoding
/// computed at ingest is the one `verify` recomputes from the stored row.
public struct EventRecord: Sendable, Equatable {
    public var id: EventID
    public var chain: AuditChain
    public var occurredAt: MicroTime
    public var actor: Actor
    public var action: String
    public var target: AuditTarget?
    /// `success`, `failure` or `denied` (``AuditOutcome``); kept as text so that a
    /// row altered behind the service's back still reads, and fails verification.
    public var outcome: String
    public var source: AuditSource?
    /// The before/after map as canonical JSON text (secrets redacted), or nil.
    public var changes: String?
    public var reason: String?

    public init(id: EventID, chain: AuditChain, occurredAt: MicroTime, actor: Actor, action: String, target: AuditTarget? = nil,
                outcome: String = AuditOutcome.success.rawValue, source: AuditSource? = nil, changes: String? = nil, reason: String? = nil) {
        self.id = id
        self.chain = chain
        self.occurredAt = occurredAt
        self.actor = actor
        self.action = action
        self.target = target
        self.outcome = outcome
        self.source = source
        self.changes = changes
        self.reason = reason
    }

    /// Who acted, in stored form: roles are sorted raw names (unknown ones kept as sent).
    public struct Actor: Sendable, Equatable {
        public var kind: String
        public var userID: UserID?
        public var roles: [String]?
        public var service: String?
        public var supportGrantID: String?
        public var claimed: String?

        public init(kind: String, userID: UserID? = nil, roles: [String]? = nil, service: String? = nil,
                    supportGrantID: String? = nil, claimed: String? = nil) {
            self.kind = kind
            self.userID = userID
            self.roles = roles
            self.service = service
            self.supportGrantID = supportGrantID
            self.claimed = claimed
        }
    }
}

/// An event with its place in the chain: `hash` = SHA-256 of the canonical encoding
/// of everything else, which includes `prev_hash`, the hash of event `seq - 1`.
public struct ChainedEvent: Sendable, Equatable {
    public var seq: Int64
    public var recordedAt: MicroTime
    public var record: EventRecord
    public var prevHash: [UInt8]
    public var hash: [UInt8]

    public init(seq: Int64, recordedAt: MicroTime, record: EventRecord, prevHash: [UInt8], hash: [UInt8]) {
        self.seq = seq
        self.recordedAt = recordedAt
        self.record = record
        self.prevHash = prevHash
        self.hash = hash
    }
}

/// The latest link of a chain: the next event gets `seq + 1` and `prev_hash = hash`.
public struct ChainLink: Sendable, Equatable {
    public var seq: Int64
    public var hash: [UInt8]
    public var recordedAt: MicroTime

    public init(seq: Int64, hash: [UInt8], recordedAt: MicroTime) {
        self.seq = seq
        self.hash = hash
        self.recordedAt = recordedAt
    }

    /// Before the first event: seq 0, a hash of 32 zero bytes.
    public static let genesis = ChainLink(seq: 0, hash: [UInt8](repeating: 0, count: 32), recordedAt: MicroTime(microseconds: 0))
}
