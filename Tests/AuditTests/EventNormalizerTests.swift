import AuditService
import Foundation
import MusterContracts
import MusterCore
import Testing

@Suite struct EventNormalizerTests {
    @Test func actionsAreDottedLowerCaseNames() {
        for good in ["auth.login.failed", "user.role.changed", "record.training.updated", "a.b", "x1.y_2"] {
            #expect(EventNormalizer.isActionName(good), "\(good)")
        }
        for bad in ["", "login", "Auth.login", "auth..login", "auth.login.", ".auth", "auth.lo gin", "auth.login-failed",
                    "1auth.x", String(repeating: "a.", count: 70) + "a"] {
            #expect(!EventNormalizer.isActionName(bad), "\(bad)")
        }
    }

    @Test func secretsAreRedactedAtAnyDepthButKeepTheirShape() throws {
        var event = EventSamples.event(agency: AgencyID())
        event.changes = [
            "password_hash": AuditChange(before: "scrypt$…", after: "scrypt$…new"),
            "mfa": AuditChange(before: .object(["totpSeed": "JBSWY3DP", "enabled": false]), after: .object(["enabled": true])),
            "api-token": AuditChange(before: nil, after: "abc"),
            "email": AuditChange(before: "a@x.test", after: "b@x.test"),
        ]
        let record = try EventNormalizer.normalize(event)
        let changes = try #require(record.changes)
        #expect(!changes.contains("scrypt"))
        #expect(!changes.contains("JBSWY3DP"))
        #expect(!changes.contains("abc"))
        #expect(changes.contains(#""api-token":{"after":"[redacted]","before":null}"#))
        #expect(changes.contains(#""email":{"after":"b@x.test","before":"a@x.test"}"#))
        #expect(changes.contains(#""totpSeed":"[redacted]""#))
    }

    @Test func normalizesWithoutLosingTheEvent() throws {
        var event = EventSamples.event(agency: nil)
        event.actor = AuditActor(kind: .user, userID: UserID(), roles: [.officer, .auditor, .officer], claimed: "nul\u{0}byte")
        event.source = AuditSource(ip: nil, userAgent: nil, requestID: nil)
        event.changes = [:]
        event.reason = String(repeating: "r", count: 5000)
        event.occurredAt = Date(timeIntervalSince1970: 1_740_000_000.123_456_7)
        let record = try EventNormalizer.normalize(event)
        #expect(record.chain == .platform)
        #expect(record.actor.roles == ["auditor", "officer"])
        #expect(record.actor.claimed == "nul\u{FFFD}byte")
        #expect(record.source == nil)
        #expect(record.changes == nil)
        #expect(record.reason?.count == 2000)
        #expect(record.occurredAt.canonical == "2025-02-19T21:20:00.123457Z")
        #expect(AuditChain(agency: AuditChain.platformStorageID) == .platform)
    }

    @Test func refusesWhatCannotBeStoredFaithfully() {
        var badAction = EventSamples.event(agency: AgencyID())
        badAction.action = "DROP TABLE"
        #expect(throws: EventNormalizer.Refusal.self) { try EventNormalizer.normalize(badAction) }
        var huge = EventSamples.event(agency: AgencyID())
        huge.changes = ["blob": AuditChange(before: nil, after: .string(String(repeating: "x", count: 70_000)))]
        #expect(throws: EventNormalizer.Refusal.self) { try EventNormalizer.normalize(huge) }
        var longTarget = EventSamples.event(agency: AgencyID())
        longTarget.target = AuditTarget(type: "user", id: String(repeating: "9", count: 300))
        #expect(throws: EventNormalizer.Refusal.self) { try EventNormalizer.normalize(longTarget) }
    }
}
