import Foundation
import MusterCore
import MusterDatabase

/// The SQL of one chain's events: appending (one writer per chain, under the
/// chain head's row lock), reading pages, and reading seq ranges in order.
///
/// ```swift
/// let store = EventStore(pool: pool)
/// let result = try await store.append(records, to: .agency(id), at: .now())
/// let page = try await store.page(of: .agency(id), filter)
/// ```
public struct EventStore: Sendable {
    public let pool: DatabasePool

    public init(pool: DatabasePool) { self.pool = pool }

    public struct AppendResult: Sendable, Equatable {
        /// Events added to the chain by this call, in seq order.
        public var appended: [ChainedEvent]
        /// Ids the chain already held (sent again: ignored).
        public var alreadyStored: [EventID]
    }

    /// Appends the records the chain does not hold yet (by id), after its head, in
    /// a transaction of its own. Throws ``ChainNotProvisioned`` when the chain's
    /// schema does not exist.
    public func append(_ records: [EventRecord], to chain: AuditChain, at now: MicroTime) async throws -> AppendResult {
        try await pool.withChain(chain) { tx in try await append(records, in: tx, at: now) }
    }

    /// Appends inside `tx` (scoped to the records' chain), with the change they record.
    public func append(_ records: [EventRecord], in tx: Transaction, at now: MicroTime) async throws -> AppendResult {
        let ids = records.map(\.id)
        let rows = try await tx.query("""
            SELECT h.seq, h.hash, (extract(epoch FROM h.recorded_at) * 1000000)::int8 AS recorded_us,
                   (SELECT coalesce(array_agg(e.id), '{}') FROM events e WHERE e.id = ANY(\(ids))) AS existing
            FROM chain_head h FOR UPDATE OF h
            """)
        let head = ChainLink(seq: try rows[0].decode("seq"), hash: try rows[0].decode("hash"),
                             recordedAt: MicroTime(microseconds: try rows[0].decode("recorded_us")))
        let existing = Set(try rows[0].decode("existing", as: [EventID].self))
        var seen = existing
        let fresh = records.filter { seen.insert($0.id).inserted }
        guard !fresh.isEmpty else { return AppendResult(appended: [], alreadyStored: Array(existing)) }
        let chained = ChainLinker.link(fresh, after: head, at: now)
        do {
            try await EventRows.insert(chained, in: tx)
        } catch let error as DatabaseError where error.sqlState == "23505" && error.constraint == "events_pkey" {
            throw RowsBeyondHead(chain: records[0].chain, head: head.seq)
        }
        let last = chained[chained.count - 1]
        try await tx.execute("UPDATE chain_head SET seq = \(last.seq), hash = \(last.hash), recorded_at = \(last.recordedAt)")
        return AppendResult(appended: chained, alreadyStored: Array(existing))
    }

    /// One page of events newest first, by `occurred_at` then `seq`; one more row
    /// than `filter.limit` is read to know whether a next page exists.
    public func page(of chain: AuditChain, _ filter: EventFilter) async throws -> (events: [ChainedEvent], next: EventCursor?) {
        var conditions: [SQL] = []
        if let from = filter.from { conditions.append("occurred_at >= \(from)") }
        if let to = filter.to { conditions.append("occurred_at < \(to)") }
        if let user = filter.actorUser { conditions.append("actor_user_id = \(user)") }
        if let service = filter.actorService { conditions.append("actor_service = \(service.rawValue)") }
        if let prefix = filter.actionPrefix {
            // Byte order (the column is COLLATE "C"): `p.` ≤ children < `p/`, as '/' follows '.'.
            conditions.append("(action = \(prefix) OR (action >= \(prefix + ".") AND action < \(prefix + "/")))")
        }
        if let type = filter.targetType { conditions.append("target_type = \(type)") }
        if let id = filter.targetID { conditions.append("target_id = \(id)") }
        if let after = filter.after { conditions.append("(occurred_at, seq) < (\(after.occurredAt), \(after.seq))") }
        let whereClause = conditions.isEmpty ? SQL("") : " WHERE " + conditions.dropFirst().reduce(conditions[0]) { $0 + " AND " + $1 }
        let rows = try await pool.withChain(chain) { tx in
            try await tx.query("SELECT \(EventRows.columns) FROM events\(whereClause) ORDER BY occurred_at DESC, seq DESC LIMIT \(filter.limit + 1)")
        }
        var events = try EventRows.decode(rows, chain: chain)
        guard events.count > filter.limit else { return (events, nil) }
        events.removeLast()
        let last = events[events.count - 1]
        return (events, EventCursor(occurredAt: last.record.occurredAt, seq: last.seq))
    }

    /// Events with `seq` in `after+1 … through`, ascending, at most `limit`.
    public func range(of chain: AuditChain, after: Int64, through: Int64, limit: Int) async throws -> [ChainedEvent] {
        let rows = try await pool.withChain(chain) { tx in
            try await tx.query("""
                SELECT \(EventRows.columns) FROM events WHERE seq > \(after) AND seq <= \(through) ORDER BY seq LIMIT \(limit)
                """)
        }
        return try EventRows.decode(rows, chain: chain)
    }

    /// The seq range of events recorded in `[from, to)`; nil when there are none.
    public func seqRange(of chain: AuditChain, recordedFrom from: MicroTime?, to: MicroTime?) async throws -> ClosedRange<Int64>? {
        let rows = try await pool.withChain(chain) { tx in
            try await tx.query("""
                SELECT min(seq) AS first, max(seq) AS last FROM events
                WHERE recorded_at >= \(from ?? MicroTime.range.lowerBound) AND recorded_at < \(to ?? MicroTime.range.upperBound)
                """)
        }
        guard let first = try rows[0].decode("first", as: Int64?.self), let last = try rows[0].decode("last", as: Int64?.self) else {
            return nil
        }
        return first...last
    }
}

/// The chain holds rows past its head: something inserted events behind the
/// service's back. Appends stop (the senders keep their events) until an operator
/// has looked; `verify` reports where.
public struct RowsBeyondHead: Error, CustomStringConvertible {
    public let chain: AuditChain
    public let head: Int64
    public var description: String { "audit chain \(chain) has rows beyond its head \(head): tampered; appends refused" }
}
