import Foundation
import MusterCore
import MusterDatabase
import MusterTime
import Synchronization

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
    /// The head each chain had after this process's last append (a hint, never trusted).
    private let heads = HeadCache()

    public init(pool: DatabasePool) { self.pool = pool }

    public struct AppendResult: Sendable, Equatable {
        /// Events added to the chain by this call, in seq order.
        public var appended: [ChainedEvent]
        /// Ids the chain already held (sent again: ignored).
        public var alreadyStored: [EventID]
    }

    /// Appends the records the chain does not hold yet (by id), after its head, in
    /// a transaction of its own. Throws ``AgencyNotProvisioned`` when the chain's
    /// schema does not exist.
    ///
    /// The common case takes one round trip: with the head this process saw last,
    /// the events are linked in memory and inserted by one statement that moves
    /// the head only if it is still that one (compare-and-swap). A
    /// stale head (another replica appended) or an id the chain already holds (a
    /// relay's repeat) falls back to reading the head under its row lock first.
    public func append(_ records: [EventRecord], to chain: AuditChain, at now: MicroTime) async throws -> AppendResult {
        var seen = Set<EventID>()
        let unique = records.filter { seen.insert($0.id).inserted }
        guard !unique.isEmpty else { return AppendResult(appended: [], alreadyStored: []) }
        if let cached = heads[chain] {
            let chained = ChainLinker.link(unique, after: cached, at: now)
            do {
                if try EventRows.moved(try await pool.withChain(chain, statement: EventRows.append(chained, after: cached))) {
                    heads[chain] = chained.last.map { ChainLink(seq: $0.seq, hash: $0.hash, recordedAt: $0.recordedAt) }
                    return AppendResult(appended: chained, alreadyStored: [])
                }
            } catch let error as DatabaseError where error.isUniqueViolation {
                // Some ids are stored already (or rows lie past the head): the locked path sorts it out.
            }
        }
        let result = try await pool.withChain(chain) { tx in try await append(unique, in: tx, at: now) }
        if let last = result.appended.last { heads[chain] = ChainLink(seq: last.seq, hash: last.hash, recordedAt: last.recordedAt) }
        return result
    }

    /// Appends inside `tx` (scoped to the records' chain), with the change they
    /// record: reads the head under its row lock, skips ids already stored.
    public func append(_ records: [EventRecord], in tx: Transaction, at now: MicroTime) async throws -> AppendResult {
        guard let chain = records.first?.chain else { return AppendResult(appended: [], alreadyStored: []) }
        heads[chain] = nil
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
            guard try EventRows.moved(try await tx.query(EventRows.append(chained, after: head))) else {
                throw RowsBeyondHead(chain: chain, head: head.seq)
            }
        } catch let error as DatabaseError where error.isUniqueViolation && error.constraint == "events_pkey" {
            throw RowsBeyondHead(chain: chain, head: head.seq)
        }
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

/// The last head this process wrote per chain: lets an append skip reading it.
/// Only a hint: the insert checks it against the row (compare-and-swap).
final class HeadCache: Sendable {
    private let links = Mutex<[AuditChain: ChainLink]>([:])

    subscript(chain: AuditChain) -> ChainLink? {
        get { links.withLock { $0[chain] } }
        set { links.withLock { $0[chain] = newValue } }
    }
}
