import Foundation
import MusterContracts
import MusterCore
import MusterCrypto
import MusterDatabase

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
                    ? nil : AuditSource(ip: ip, userAgent: userAgent, requestId: requestID),
                changes: try row.decode(column: 17), reason: try row.decode(column: 18))
            return ChainedEvent(seq: try row.decode(column: 0), recordedAt: MicroTime(microseconds: try row.decode(column: 3)),
                                record: record, prevHash: try row.decode(column: 19), hash: try row.decode(column: 20))
        }
    }

    /// Inserts `events` in one statement: one `jsonb` parameter holding every row.
    static func insert(_ events: [ChainedEvent], in tx: Transaction) async throws {
        try await tx.execute("""
            INSERT INTO events (seq, id, occurred_at, recorded_at, actor_kind, actor_user_id, actor_roles, actor_service,
                                actor_support_grant_id, actor_claimed, action, target_type, target_id, outcome, source_ip,
                                source_user_agent, source_request_id, changes, reason, prev_hash, hash)
            SELECT seq, id, occurred_at, recorded_at, actor_kind, actor_user_id, actor_roles, actor_service,
                   actor_support_grant_id, actor_claimed, action, target_type, target_id, outcome, source_ip,
                   source_user_agent, source_request_id, changes, reason, decode(prev_hash, 'hex'), decode(hash, 'hex')
            FROM jsonb_to_recordset(\(JSONRows(events))) AS r(
                seq bigint, id uuid, occurred_at timestamptz, recorded_at timestamptz, actor_kind text, actor_user_id uuid,
                actor_roles text[], actor_service text, actor_support_grant_id text, actor_claimed text, action text,
                target_type text, target_id text, outcome text, source_ip text, source_user_agent text,
                source_request_id text, changes text, reason text, prev_hash text, hash text)
            """)
    }

    /// The rows as a JSON array, bound as `jsonb`.
    struct JSONRows: SQLBindable {
        let bytes: [UInt8]

        init(_ events: [ChainedEvent]) {
            var json = CanonicalJSON(capacity: events.count * 700)
            json.array(events) { json, event in
                let record = event.record
                json.object { o in
                    o.member("action") { $0.string(record.action) }
                    o.member("actor_claimed") { $0.string(record.actor.claimed) }
                    o.member("actor_kind") { $0.string(record.actor.kind) }
                    o.member("actor_roles") { json in
                        if let roles = record.actor.roles { json.array(roles) { $0.string($1) } } else { json.null() }
                    }
                    o.member("actor_service") { $0.string(record.actor.service) }
                    o.member("actor_support_grant_id") { $0.string(record.actor.supportGrantID) }
                    o.member("actor_user_id") { $0.string(record.actor.userID?.description) }
                    o.member("changes") { $0.string(record.changes) }
                    o.member("hash") { $0.string(Hex.encode(event.hash)) }
                    o.member("id") { $0.string(record.id.description) }
                    o.member("occurred_at") { $0.string(record.occurredAt.canonical) }
                    o.member("outcome") { $0.string(record.outcome) }
                    o.member("prev_hash") { $0.string(Hex.encode(event.prevHash)) }
                    o.member("reason") { $0.string(record.reason) }
                    o.member("recorded_at") { $0.string(event.recordedAt.canonical) }
                    o.member("seq") { $0.integer(event.seq) }
                    o.member("source_ip") { $0.string(record.source?.ip) }
                    o.member("source_request_id") { $0.string(record.source?.requestId) }
                    o.member("source_user_agent") { $0.string(record.source?.userAgent) }
                    o.member("target_id") { $0.string(record.target?.id) }
                    o.member("target_type") { $0.string(record.target?.type) }
                }
            }
            bytes = json.bytes
        }

        static var sqlType: SQLType { .jsonb }
        var sqlValue: SQLValue? { SQLValue(bytes: bytes, format: .text) }
    }
}
