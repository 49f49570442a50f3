import Foundation
import MusterCore
import MusterTime

/// What `GET /api/v1/audit/events` asks for: a page of events newest first (by
/// `occurred_at`, then `seq`), narrowed by any of
///
/// | query | meaning |
/// |---|---|
/// | `from`, `to` | `from ≤ occurred_at < to` (RFC 3339, or a date: midnight UTC) |
/// | `actor` | a user id, or a service name (`records`) |
/// | `action` | a dotted prefix: `auth.login` matches `auth.login` and `auth.login.*` |
/// | `target_type`, `target_id` | the target (an id needs its type) |
/// | `limit` | 1…200, default 50 |
/// | `cursor` | the `next_cursor` of the previous page |
///
/// ```swift
/// let filter = try EventFilter(query: request.query)   // throws EventFilter.Invalid → 400
/// ```
public struct EventFilter: Sendable, Equatable {
    public struct Invalid: Error, Equatable {
        public let message: String
    }

    public var from: MicroTime?
    public var to: MicroTime?
    public var actorUser: UserID?
    public var actorService: ServiceName?
    public var actionPrefix: String?
    public var targetType: String?
    public var targetID: String?
    /// Set from the request's `PageRequest` (`limit`, `cursor`).
    public var limit = 50
    public var after: EventCursor?

    public init() {}

    public init(query: [String: String]) throws(Invalid) {
        from = try query["from"].map { v throws(Invalid) in try Self.time(v, "from") }
        to = try query["to"].map { v throws(Invalid) in try Self.time(v, "to") }
        if let actor = query["actor"] {
            if let user = UserID(string: actor) { actorUser = user }
            else if let service = ServiceName(rawValue: actor) { actorService = service }
            else { throw Invalid(message: "actor must be a user id or a service name.") }
        }
        if var action = query["action"] {
            if action.hasSuffix(".*") { action.removeLast(2) }
            guard EventNormalizer.isActionName(action + ".x") else {
                throw Invalid(message: "action must be a dotted prefix such as auth.login.")
            }
            actionPrefix = action
        }
        targetType = query["target_type"]
        targetID = query["target_id"]
        if targetID != nil, targetType == nil { throw Invalid(message: "target_id needs target_type.") }
    }

    /// RFC 3339 with a zone, or `YYYY-MM-DD` (midnight UTC).
    static func time(_ text: String, _ name: String) throws(Invalid) -> MicroTime {
        if let date = Timestamp.parse(text), MicroTime.range.contains(MicroTime(date)) { return MicroTime(date) }
        if text.utf8.count == 10, let midnight = MicroTime(canonical: text + "T00:00:00.000000Z") { return midnight }
        throw Invalid(message: "\(name) must be an RFC 3339 time or a date (YYYY-MM-DD).")
    }
}

/// Where a page ended: the next page holds what sorts after it (older).
/// Opaque to clients: a `PageCursor` of `1:<occurred_at µs>:<seq>`.
public struct EventCursor: Sendable, Equatable {
    public var occurredAt: MicroTime
    public var seq: Int64

    public init(occurredAt: MicroTime, seq: Int64) {
        self.occurredAt = occurredAt
        self.seq = seq
    }

    /// The fields of its `PageCursor`: version, `occurred_at` µs, `seq`.
    public init?(fields: [String]) {
        // A time outside the canonical years would overflow when bound as a PostgreSQL timestamp.
        guard fields.count == 3, fields[0] == "1", let micros = Int64(fields[1]), MicroTime.range.contains(MicroTime(microseconds: micros)),
              let seq = Int64(fields[2]), seq > 0 else { return nil }
        self.init(occurredAt: MicroTime(microseconds: micros), seq: seq)
    }

    public var fields: [String] { ["1", String(occurredAt.microseconds), String(seq)] }
}
