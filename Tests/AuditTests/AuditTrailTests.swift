import Testing
import MusterContracts
import MusterCore
import MusterService

/// The shared audit-event builder: what it puts in an event, and the before/after
/// of a change.
@Suite struct AuditTrailTests {
    @Test func onlyChangedFieldsAreKeptAndAMissingSideIsNull() {
        let changes = AuditChange.between(
            ["title": "Officer", "hours": 2, "gone": "x", "same": true, "updated_at": "2025-01-01"],
            ["title": "Sergeant", "hours": 2, "new": "y", "same": true, "updated_at": "2025-02-01"],
            ignoring: ["updated_at"])
        #expect(changes == [
            "title": AuditChange(before: "Officer", after: "Sergeant"),
            "gone": AuditChange(before: "x", after: .null),
            "new": AuditChange(before: .null, after: "y"),
        ])
        #expect(AuditChange.between(["a": 1], ["a": 1]).isEmpty)
        #expect(AuditChange.between(["a": .null], [:]).isEmpty)
    }

    @Test func eventsWithoutARequestCarryAnEmptySourceAndTheTrailsAgency() {
        let agency = AgencyID()
        let event = AuditTrail(agency: agency).event("key.signing.rotated", actor: .service(.identity), reason: "why")
        #expect(event.agencyID == agency)
        #expect(event.source == AuditSource(ip: nil, userAgent: nil, requestID: nil))
        #expect(event.json.contains(#""source":{}"#))
        #expect(event.outcome == .success && event.reason == "why" && event.changes == nil)
    }
}
