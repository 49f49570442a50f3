import Foundation
import Testing
import MusterContracts
import MusterCore

/// The hand-written JSON of audit events (the outbox's payloads) reads back as
/// `JSONEncoder`'s does (times to the millisecond, as on the wire).
@Suite struct AuditEventJSONTests {
    @Test func everyFieldReadsBackAsTheSameEvent() throws {
        let full = AuditEvent(
            agencyID: AgencyID(), occurredAt: Date(timeIntervalSince1970: 1_740_000_000.125),
            actor: AuditActor(kind: .user, userID: UserID(), roles: [.coordinator, .officer], service: .identity,
                              supportGrantID: "grant-1", claimed: "alex@\"quoted\".example"),
            action: "record.training.updated", target: AuditTarget(type: "training_record", id: "t\\1"), outcome: .denied,
            source: AuditSource(ip: "203.0.113.7", userAgent: "Mozilla/5.0 (X11)\n", requestID: "req-1"),
            changes: [
                "hours": AuditChange(before: .number(2), after: .number(3.5)),
                "tags": AuditChange(before: .array([.string("a"), .bool(true), .null]), after: .object(["k": .number(-1e20)])),
                "note": AuditChange(before: .null, after: .string("Nº ünïcode \u{1}\u{2028} ✓")),
            ],
            reason: "line one\r\nline two\t")
        let minimal = AuditEvent(agencyID: nil, actor: .service(.notify), action: "email.sent")
        for event in [full, minimal, EventSamples.event(agency: AgencyID(), index: 3)] {
            let expected = try JSONCoding.decode(AuditEvent.self, from: try JSONCoding.encode(event))
            #expect(try JSONCoding.decode(AuditEvent.self, from: Array(event.json.utf8)) == expected)
        }
    }

    @Test func absentFieldsAreLeftOut() {
        let text = AuditEvent(agencyID: nil, actor: .service(.notify), action: "email.sent").json
        #expect(!text.contains("agency_id") && !text.contains("target") && !text.contains("reason") && !text.contains("null"))
        #expect(JSONValue.number(.infinity).json == "null")
    }
}
