import AuditService
import Foundation
import MusterContracts
import MusterCore
import MusterTestSupport
import Testing

/// `GET /api/v1/audit/events` with real tokens from a real Identity.
@Suite(.serialized) struct ReadingTests {
    @Test func readersPageFilterAndSeeOnlyTheirOwnAgency() async throws {
        let audit = try await AuditFixture.startWithIdentity()
        defer { audit.stop() }
        let a = try await audit.agency(), b = try await audit.agency()
        let auditor = try await audit.platform.createUser(in: a, roles: [.auditor])
        let officer = try await audit.platform.createUser(in: a, roles: [.officer])
        let actorA = UserID(), actorB = UserID()
        let seededA = try audit.seed(AgencyID(string: a.id)!, count: 40, actors: [actorA, UserID()])
        _ = try audit.seed(AgencyID(string: b.id)!, count: 25, actors: [actorB])

        #expect(try audit.api("/events", token: nil).status == 401)
        #expect(try audit.api("/events", token: officer.accessToken).status == 403)
        #expect(try audit.api("/events?limit=500", token: a.adminToken).status == 400)
        #expect(try audit.api("/events?cursor=forged", token: a.adminToken).status == 400)

        // Paging newest first, no event twice, every seeded event once.
        let training = try audit.allEvents("action=record", token: auditor.accessToken, pageSize: 7)
        #expect(training.count == 40)
        #expect(Set(training.map(\.seq)).count == 40)
        let times = training.compactMap { $0["occurred_at"] as? String }
        #expect(times == times.sorted(by: >), "newest first")
        #expect(training.allSatisfy { $0["agency_id"] as? String == a.id })
        #expect(Set(training.compactMap { $0["id"] as? String }) == Set(seededA.map(\.id.description)))

        // Filters.
        #expect(try audit.allEvents("action=record.certification", token: a.adminToken).count == 10)
        #expect(try audit.allEvents("actor=\(actorA)", token: a.adminToken).allSatisfy { $0.actorUser == actorA.description })
        #expect(try audit.allEvents("actor=\(actorA)", token: a.adminToken).count == 20)
        #expect(try audit.allEvents("target_type=training_record&target_id=rec-3", token: a.adminToken).count == 8)
        #expect(try audit.allEvents("from=2025-02-19T21:20:10Z&to=2025-02-19T21:20:20Z&action=record", token: a.adminToken).count == 10)

        // Agency B's admin, whatever the filter or cursor, sees only B.
        let firstPageA = try audit.api("/events?action=record&limit=5", token: a.adminToken)
        let cursorA = try #require(firstPageA.json?["next_cursor"] as? String)
        for query in ["action=record", "actor=\(actorA)", "target_type=training_record&target_id=rec-3",
                      "from=2000-01-01&to=2100-01-01", "cursor=\(cursorA)", "action=record&cursor=\(cursorA)", "actor=identity"] {
            let seen = try audit.allEvents(query, token: b.adminToken)
            #expect(seen.allSatisfy { $0["agency_id"] as? String == b.id }, "\(query)")
            #expect(seen.allSatisfy { $0.actorUser != actorA.description }, "\(query)")
        }
        #expect(try audit.allEvents("actor=\(actorB)", token: a.adminToken).isEmpty)

        // Reading is itself recorded, with who read.
        let reads = try audit.allEvents("action=audit.events.read", token: a.adminToken)
        #expect(reads.contains { $0.actorUser == auditor.id })
        #expect(reads.contains { $0.actorUser == a.admin.id })
        #expect(try audit.allEvents("action=audit.events.read", token: b.adminToken).allSatisfy { $0.actorUser == b.admin.id })
    }

    @Test func operatorsSeePlatformEventsAndAnAgencyOnlyUnderItsGrant() async throws {
        let audit = try await AuditFixture.startWithIdentity()
        defer { audit.stop() }
        let a = try await audit.agency()
        _ = try audit.seed(AgencyID(string: a.id)!, count: 5, actors: [UserID()])
        try audit.ingest([EventSamples.event(agency: nil, action: "agency.suspended", index: 1)])
        let operatorSession = try await audit.platform.bootstrapOperator()

        let platformEvents = try audit.allEvents("", token: operatorSession.accessToken)
        #expect(platformEvents.contains { $0.action == "agency.suspended" })
        #expect(platformEvents.allSatisfy { $0["agency_id"] is NSNull }, "operators see platform events only")

        let grant = try Curl.request("POST", audit.platform.url(.identity) + "/api/v1/agency/support-grants",
                                     headers: ["Authorization": "Bearer \(a.adminToken)", "Content-Type": "application/json"],
                                     body: #"{"hours":1,"reason":"ticket 42"}"#)
        #expect(grant.status == 201, "\(grant.body)")
        let session = try Curl.request("POST", audit.platform.url(.identity) + "/api/v1/platform/agencies/\(a.id)/support-session",
                                       headers: ["Authorization": "Bearer \(operatorSession.accessToken)"])
        let supportToken = try #require(session.json?["access_token"] as? String, "\(session.body)")
        let grantID = try #require(session.json?["support_grant_id"] as? String).lowercased()

        let underGrant = try audit.allEvents("action=record", token: supportToken)
        #expect(underGrant.count == 5)
        #expect(underGrant.allSatisfy { $0["agency_id"] as? String == a.id })
        #expect(try audit.api("/checkpoints", method: "POST", token: supportToken).status == 403)
        #expect(try audit.api("/retention", method: "PUT", token: supportToken, body: #"{"retention_years":3}"#).status == 403)
        let reads = try audit.allEvents("action=audit.events.read", token: a.adminToken)
        #expect(reads.contains { ($0["actor"] as? [String: Any])?["support_grant_id"] as? String == grantID },
                "the agency sees the operator's read, marked as under its grant")
    }
}
