import Foundation
import MusterContracts
import MusterCore
import MusterDatabase
import MusterTime

/// How an event maps to its row: the select list and its decoding (by position:
/// verification reads millions of rows), and the JSON rows an append inserts.
enum EventRows {
    /// Every column, times as exact microseconds.
    static let columns: SQL = """
        seq, id, (extract(epoch FROM occurred_at) * 1000000)::int8, (extract(epoch FROM recorded_at) * 1000000)::int8,
        actor_kind, actor_user_id, actor_roles, actor_service, actor_support_grant_id, actor_claimed, action,
        target_type, target_id, outcome, source_ip, source_user_agent, source_request_id, changes, reason, prev_hash, hash
        """

    /// Decodes rows selected with ``columns`` as events of `chain`. A row that was
    /// altered into an odd shape still decodes (and then fails verification).
    static func decode(_ rows: Rows, chain: AuditChain) throws -> [ChainedEvent] {
        try rows.map { row in
            let targetType = try row.decode(column: 11, as: String?.self)
            let targetID = try row.decode(column: 12, as: String?.self)
            let ip = try row.decode(column: 14, as: String?.self)
            let userAgent = try row.decode(column: 15, as: String?.self)
            let requestID = try row.decode(column: 16, as: String?.self)
            let record = EventRecord(
                id: EventID(try row.decode(column: 1, as: UUID.self)), chain: chain,
                occurredAt: MicroTime(microseconds: try row.decode(column: 2)),
                actor: .init(kind: try row.decode(column: 4), userID: try row.decode(column: 5, as: UUID?.self).map(UserID.init),
                             roles: try row.decode(column: 6), service: try row.decode(column: 7),
                             supportGrantID: try row.decode(column: 8), claimed: try row.decode(column: 9)),
                action: try row.decode(column: 10),
                target: targetType == nil && targetID == nil ? nil : AuditTarget(type: targetType ?? "", id: targetID ?? ""),
                outcome: try row.decode(column: 13),
                source: ip == nil && userAgent == nil && requestID == nil
                    ? nil : AuditSource(ip: ip, userAgent: userAgent, requestID: requestID),
                changes: try row.decode(column: 17), reason: try row.decode(column: 18))
            return ChainedEvent(seq: try row.decode(column: 0), recordedAt: MicroTime(microseconds: try row.decode(column: 3)),
                                record: record, prevHash: try row.decode(column: 19), hash: try row.decode(column: 20))
        }
    }

    /// The statement that inserts `events` (consecutive, linked after `expected`) and
    /// moves the chain head from `expected` to the last of them: a compare-and-swap
    /// on the head row, so a writer whose idea of the head is stale inserts nothing
    /// (returns false) and a concurrent writer waits on the row lock. Rows travel as
    /// one array per column (`unnest`).
    /// Run it alone (``DatabasePool/query(_:inAgency:)``: one round trip) or
    /// inside a transaction; ``moved(_:)`` reads its answer.
    static func append(_ events: [ChainedEvent], after expected: ChainLink) -> SQL {
        let last = events[events.count - 1]
        let records = events.map(\.record)
        return """
            WITH head AS (
                UPDATE chain_head SET seq = \(last.seq), hash = \(last.hash), recorded_at = \(last.recordedAt)
                WHERE seq = \(expected.seq) AND hash = \(expected.hash)
                RETURNING 1
            ), inserted AS (
                INSERT INTO events (seq, id, occurred_at, recorded_at, actor_kind, actor_user_id, actor_roles, actor_service,
                                    actor_support_grant_id, actor_claimed, action, target_type, target_id, outcome, source_ip,
                                    source_user_agent, source_request_id, changes, reason, prev_hash, hash)
                SELECT r.seq, r.id, r.occurred_at, \(last.recordedAt), r.actor_kind, r.actor_user_id, r.actor_roles::text[],
                       r.actor_service, r.actor_support_grant_id, r.actor_claimed, r.action, r.target_type, r.target_id,
                       r.outcome, r.source_ip, r.source_user_agent, r.source_request_id, r.changes, r.reason, r.prev_hash, r.hash
                FROM unnest(\(events.map { Int($0.seq) }), \(NullableTextArray(records.map(\.id.uuid.lowercasedText)))::uuid[],
                            \(NullableTextArray(records.map(\.occurredAt.canonical)))::timestamptz[],
                            \(NullableTextArray(records.map(\.actor.kind))), \(NullableTextArray(records.map { $0.actor.userID?.uuid.lowercasedText }))::uuid[],
                            \(NullableTextArray(records.map { $0.actor.roles.map(NullableTextArray.literal) })),
                            \(NullableTextArray(records.map(\.actor.service))), \(NullableTextArray(records.map(\.actor.supportGrantID))),
                            \(NullableTextArray(records.map(\.actor.claimed))), \(NullableTextArray(records.map(\.action))),
                            \(NullableTextArray(records.map { $0.target?.type })), \(NullableTextArray(records.map { $0.target?.id })),
                            \(NullableTextArray(records.map(\.outcome))), \(NullableTextArray(records.map { $0.source?.ip })),
                            \(NullableTextArray(records.map { $0.source?.userAgent })), \(NullableTextArray(records.map { $0.source?.requestID })),
                            \(NullableTextArray(records.map(\.changes))), \(NullableTextArray(records.map(\.reason))),
                            \(ByteaArray(events.map(\.prevHash))), \(ByteaArray(events.map(\.hash))))
                     AS r(seq, id, occurred_at, actor_kind, actor_user_id, actor_roles, actor_service, actor_support_grant_id,
                          actor_claimed, action, target_type, target_id, outcome, source_ip, source_user_agent, source_request_id,
                          changes, reason, prev_hash, hash)
                WHERE EXISTS (SELECT 1 FROM head)
            )
            SELECT count(*) AS moved FROM head
            """
    }

    /// Whether ``append(_:after:)`` found the head it expected (and so inserted).
    static func moved(_ rows: Rows) throws -> Bool {
        try rows[0].decode("moved", as: Int.self) == 1
    }
}
