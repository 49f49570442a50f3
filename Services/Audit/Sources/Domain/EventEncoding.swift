import MusterContracts
import MusterCrypto
import MusterTime

/// The canonical encoding of a chained event (format version 1), and its hash.
///
/// One JSON object, written by ``CanonicalJSON``'s rules, with exactly these members:
///
/// ```
/// {"action":…,"actor":{"claimed","kind","roles","service","support_grant_id","user_id"},
///  "agency_id":…|null,"changes":{…}|null,"id":…,"occurred_at":…,"outcome":…,
///  "prev_hash":"<64 hex>","reason":…|null,"recorded_at":…,"seq":N,
///  "source":{"ip","request_id","user_agent"}|null,"target":{"id","type"}|null,"v":1}
/// ```
///
/// Absent values are `null` (inside `actor` and `source` too); ids are lower-case
/// UUIDs; times are ``MicroTime/canonical``; `roles` is a sorted array. `hash` =
/// lower-case hex of SHA-256 over these bytes. Read APIs and exports show the same
/// object with `"hash"` added (in its sorted place), so removing `hash` from an
/// exported line and re-encoding it gives the hashed bytes back.
public enum EventEncoding {
    public static let version: Int64 = 1

    public static func hash(_ event: ChainedEvent) -> [UInt8] {
        SHA256.hash(canonical(event, includingHash: false))
    }

    public static func canonical(_ event: ChainedEvent, includingHash: Bool) -> [UInt8] {
        var json = CanonicalJSON(capacity: 640)
        write(event, includingHash: includingHash, into: &json)
        return json.bytes
    }

    public static func write(_ event: ChainedEvent, includingHash: Bool, into json: inout CanonicalJSON) {
        let record = event.record
        json.object { o in
            o.member("action") { $0.string(record.action) }
            o.member("actor") { writeActor(record.actor, into: &$0) }
            o.member("agency_id") { $0.string(record.chain.agencyID?.uuid.lowercasedText) }
            o.member("changes") { json in
                if let changes = record.changes { json.raw(changes) } else { json.null() }
            }
            if includingHash { o.member("hash") { $0.hex(event.hash) } }
            o.member("id") { $0.string(record.id.uuid.lowercasedText) }
            o.member("occurred_at") { $0.string(record.occurredAt.canonical) }
            o.member("outcome") { $0.string(record.outcome) }
            o.member("prev_hash") { $0.hex(event.prevHash) }
            o.member("reason") { $0.string(record.reason) }
            o.member("recorded_at") { $0.string(event.recordedAt.canonical) }
            o.member("seq") { $0.integer(event.seq) }
            o.member("source") { json in
                guard let source = record.source else { return json.null() }
                json.object { s in
                    s.member("ip") { $0.string(source.ip) }
                    s.member("request_id") { $0.string(source.requestID) }
                    s.member("user_agent") { $0.string(source.userAgent) }
                }
            }
            o.member("target") { json in
                guard let target = record.target else { return json.null() }
                json.object { t in
                    t.member("id") { $0.string(target.id) }
                    t.member("type") { $0.string(target.type) }
                }
            }
            o.member("v") { $0.integer(version) }
        }
    }

    private static func writeActor(_ actor: EventRecord.Actor, into json: inout CanonicalJSON) {
        json.object { a in
            a.member("claimed") { $0.string(actor.claimed) }
            a.member("kind") { $0.string(actor.kind) }
            a.member("roles") { json in
                if let roles = actor.roles { json.array(roles) { $0.string($1) } } else { json.null() }
            }
            a.member("service") { $0.string(actor.service) }
            a.member("support_grant_id") { $0.string(actor.supportGrantID) }
            a.member("user_id") { $0.string(actor.userID?.uuid.lowercasedText) }
        }
    }
}

/// Appends normalized records to a chain: consecutive `seq`, each `prev_hash` the
/// hash before it. `recorded_at` never goes backwards along the chain, even if the
/// clock does, so time ranges of the chain are seq ranges.
public enum ChainLinker {
    public static func link(_ records: [EventRecord], after head: ChainLink, at now: MicroTime) -> [ChainedEvent] {
        let recordedAt = max(now, head.recordedAt)
        var previous = head
        return records.map { record in
            var event = ChainedEvent(seq: previous.seq + 1, recordedAt: recordedAt, record: record, prevHash: previous.hash, hash: [])
            event.hash = EventEncoding.hash(event)
            previous = ChainLink(seq: event.seq, hash: event.hash, recordedAt: recordedAt)
            return event
        }
    }
}
