import Foundation
import MusterCore
import MusterTestSupport
import Testing

/// Records' rules end to end on one platform: separation of duties, all-or-nothing
/// event completion, versioned corrections, the agency's time zone, bad input that
/// writes nothing, audit events read back from Audit, a supervisor's scope.
@Suite struct WorkflowTests {
    @Test func recordsRulesThroughTheGateway() async throws {
        let world = try await RecordsWorld.start()
        defer { world.stop() }
        try Self.separationOfDuties(world)
        try Self.eventCompletionIsAllOrNothing(world)
        try Self.correctionsKeepHistory(world)
        try Self.agencyTimeZoneDecidesToday(world)
        try BadInput.nothingIsWritten(world)
        try await Self.changesAreAudited(world)
        try Self.supervisorScope(world)
    }

    static func separationOfDuties(_ world: RecordsWorld) throws {
        let api = world.api, coordinator = world.token(.coordinator)
        // A coordinator's own submission waits for someone else.
        let own = try world.submission(by: .coordinator)
        let selfApproval = try api.call("POST", "/training-records/\(own)/approve", token: coordinator)
        #expect(selfApproval.status == 403 && selfApproval.errorCode == "separation_of_duties")
        #expect(try api.call("POST", "/training-records/\(own)/reject", token: coordinator, json: ["reason": "x"]).status == 403)
        #expect(try api.call("POST", "/training-records/\(own)/approve", token: world.token(.agencyAdmin)).json?["status"] as? String == "approved")
        #expect(try api.call("POST", "/training-records/\(own)/approve", token: world.token(.agencyAdmin)).status == 409, "decided once")

        // The instructor is never the subject, and holds the course's instructor certification on the day.
        let subject = try api.call("POST", "/training-records", token: coordinator,
                                   json: ["person_id": world.other, "title": "Taught myself", "completed_on": "2024-01-03", "hours": 1,
                                          "instructor_person_id": world.other])
        #expect(subject.status == 422 && subject.errorCode == "instructor_is_subject")
        let course = RecordsClient.id(try api.call("POST", "/courses", token: coordinator,
                                                   json: ["code": "live_fire", "title": "Live fire", "hours": 3,
                                                          "instructor_certification_type_id": world.certificationType]))
        let instructor = world.own[.officer]!
        func taught(_ date: String) throws -> CurlResponse {
            try api.call("POST", "/training-records", token: coordinator,
                         json: ["person_id": world.other, "course_id": course, "completed_on": date, "instructor_person_id": instructor])
        }
        #expect(try taught("2024-03-01").errorCode == "instructor_not_certified")
        // Issued 2022-01-31 for 24 months: valid through 2024-01-31, not on 2024-02-01.
        #expect(try api.call("POST", "/certifications", token: world.setup,
                             json: ["person_id": instructor, "type_id": world.certificationType, "issued_on": "2022-01-31"])
            .json?["expires_on"] as? String == "2024-01-31")
        #expect(try taught("2024-01-31").status == 201)
        #expect(try taught("2024-02-01").errorCode == "instructor_not_certified")

        // Events: an instructor does not attend, nor does the person of whoever completes it.
        let event = RecordsClient.id(try api.call("POST", "/training-events", token: coordinator,
                                                  json: ["course_id": world.course, "starts_on": "2024-04-01",
                                                         "instructor_person_ids": [world.other]]))
        #expect(try api.call("PUT", "/training-events/\(event)/roster", token: coordinator,
                             json: ["person_ids": [world.other, world.own[.coordinator]!, world.own[.officer]!]]).status == 200)
        let refused = try api.call("POST", "/training-events/\(event)/complete", token: coordinator, json: ["attendance": [
            ["person_id": world.other, "outcome": "completed"],
            ["person_id": world.own[.coordinator]!, "outcome": "passed"],
            ["person_id": world.own[.officer]!, "outcome": "passed"],
        ]])
        #expect(refused.status == 422 && refused.errorCode == "invalid_rows")
        #expect(Self.rows(refused) == [0, 1], "\(refused.body)")
        #expect(try api.count("training_records", agency: world.a.id, where: "event_id = '\(event)'") == 0)
    }

    static func eventCompletionIsAllOrNothing(_ world: RecordsWorld) throws {
        let api = world.api, coordinator = world.token(.coordinator)
        var people: [String] = []
        for index in 0..<50 {
            people.append(RecordsClient.id(try api.call("POST", "/personnel", token: coordinator,
                                                         json: ["badge_number": "E-\(index)", "first_name": "Trainee", "last_name": "No. \(index)",
                                                                "hire_date": "2023-09-01"])))
        }
        let event = RecordsClient.id(try api.call("POST", "/training-events", token: coordinator,
                                                  json: ["course_id": world.course, "starts_on": "2024-05-06", "ends_on": "2024-05-07",
                                                         "location": "Range 2"]))
        #expect(try api.call("PUT", "/training-events/\(event)/roster", token: coordinator, json: ["person_ids": people]).status == 200)
        func sheet(_ change: (inout [[String: Any]]) -> Void) -> [String: Any] {
            var rows = people.enumerated().map { index, person -> [String: Any] in
                ["person_id": person, "outcome": index % 10 == 9 ? "absent" : "passed", "score": 90]
            }
            change(&rows)
            return ["attendance": rows]
        }
        let before = try api.count("training_records", agency: world.a.id)
        let badHours = try api.call("POST", "/training-events/\(event)/complete", token: coordinator,
                                    json: sheet { $0[36]["hours"] = 0.1 })
        #expect(badHours.status == 422 && Self.rows(badHours) == [36], "\(badHours.body.prefix(400))")
        let several = try api.call("POST", "/training-events/\(event)/complete", token: coordinator, json: sheet {
            $0[3]["person_id"] = world.other          // not on the roster
            $0[20]["outcome"] = "graduated"           // no such outcome
            $0[41]["person_id"] = people[40]          // twice
        })
        #expect(Self.rows(several) == [3, 20, 41], "\(several.body.prefix(600))")
        #expect(try api.count("training_records", agency: world.a.id) == before, "nothing written")
        #expect(try api.call("GET", "/training-events/\(event)", token: coordinator).json?["status"] as? String != "completed")

        let done = try api.call("POST", "/training-events/\(event)/complete", token: coordinator, json: sheet { _ in })
        #expect(done.status == 200, "\(done.body.prefix(300))")
        #expect(try api.count("training_records", agency: world.a.id, where: "event_id = '\(event)'") == 45, "five were absent")
        #expect(try api.count("training_records", agency: world.a.id,
                              where: "event_id = '\(event)' AND completed_on = '2024-05-07' AND status = 'approved' AND quarter_hours = 16") == 45)
        let again = try api.call("POST", "/training-events/\(event)/complete", token: coordinator, json: sheet { _ in })
        #expect(again.status == 409)
        let roster = try api.call("PUT", "/training-events/\(event)/roster", token: coordinator, json: ["person_ids": [String]()])
        #expect(roster.status == 409, "a completed event's roster is final")
    }

    static func correctionsKeepHistory(_ world: RecordsWorld) throws {
        let api = world.api, coordinator = world.token(.coordinator)
        let created = try api.call("POST", "/training-records", token: coordinator,
                                   json: ["person_id": world.other, "title": "Report writing", "completed_on": "2024-02-02", "hours": 2.5,
                                          "score": 88.5, "notes": "Good", "instructor_person_id": world.own[.supervisor]!])
        let id = RecordsClient.id(created)
        #expect(created.json?["version"] as? Int == 1 && created.json?["hours"] as? Double == 2.5)
        let path = "/training-records/\(id)"
        #expect(try api.call("PATCH", path, token: coordinator, json: ["hours": 3]).status == 428)
        #expect(try api.call("PATCH", path, token: coordinator, json: ["hours": 3], headers: ["If-Match": "\"7\""]).status == 412)
        let corrected = try api.call("PATCH", path, token: coordinator, json: ["hours": 3], headers: ["If-Match": "\"1\""])
        #expect(corrected.status == 200 && corrected.json?["version"] as? Int == 2 && corrected.headers["etag"] == "\"2\"")
        #expect(try api.call("PATCH", path, token: coordinator, json: ["hours": 4], headers: ["If-Match": "\"1\""]).status == 412, "stale")
        #expect(try api.call("GET", path, token: coordinator).json?["hours"] as? Double == 3, "the stale change wrote nothing")

        // null clears an optional field; a required one cannot be cleared.
        let cleared = try api.call("PATCH", path, token: coordinator, json: ["notes": NSNull(), "score": NSNull(), "instructor_person_id": NSNull()],
                                   headers: ["If-Match": "\"2\""])
        #expect(cleared.status == 200, "\(cleared.body)")
        for field in ["notes", "score", "instructor_person_id"] { #expect(cleared.json?[field] is NSNull, "\(field) cleared") }
        #expect(cleared.json?["title"] as? String == "Report writing" && cleared.json?["hours"] as? Double == 3)
        #expect(try api.call("PATCH", path, token: coordinator, json: ["title": NSNull()], headers: ["If-Match": "\"3\""]).status == 400)

        #expect(try api.call("DELETE", path + "?reason=Entered%20twice", token: coordinator).json?["status"] as? String == "voided")
        #expect(try api.call("PATCH", path, token: coordinator, json: ["hours": 1], headers: ["If-Match": "\"4\""]).status == 409)
        let history = try api.call("GET", path + "/history", token: world.token(.auditor)).items
        #expect(history.map { $0["action"] as? String } == ["created", "corrected", "corrected", "voided"])
        #expect(history.map { $0["version"] as? Int } == [1, 2, 3, 4])
        let hours = (history[1]["changes"] as? [String: Any])?["hours"] as? [String: Any]
        #expect(hours?["before"] as? Double == 2.5 && hours?["after"] as? Double == 3)
        #expect(history.allSatisfy { $0["changed_by"] as? String == world.users[.coordinator]!.id })
        #expect(history[3]["reason"] as? String == "Entered twice")
        #expect((history[0]["record"] as? [String: Any])?["notes"] as? String == "Good", "each version keeps its snapshot")

        // Certifications: versioned alike; null clears the number.
        let certification = try world.certification(for: world.other)
        let numbered = try api.call("PATCH", "/certifications/\(certification)", token: coordinator, json: ["number": "C-1"], headers: ["If-Match": "1"])
        #expect(numbered.json?["number"] as? String == "C-1" && numbered.json?["version"] as? Int == 2)
        let unnumbered = try api.call("PATCH", "/certifications/\(certification)", token: coordinator, json: ["number": NSNull()],
                                      headers: ["If-Match": "2"])
        #expect(unnumbered.json?["number"] is NSNull && unnumbered.json?["expires_on"] as? String == "2026-01-31")
    }

    static func agencyTimeZoneDecidesToday(_ world: RecordsWorld) throws {
        let api = world.api, admin = world.token(.agencyAdmin)
        #expect(try api.call("GET", "/records/settings", token: world.token(.officer)).json?["time_zone"] as? String == "America/Chicago")
        #expect(try api.call("PATCH", "/records/settings", token: admin, json: ["time_zone": "Mars/Olympus"]).errorCode == "invalid_time_zone")
        #expect(try api.call("PATCH", "/records/settings", token: admin, json: ["time_zone": 5]).status == 400)
        // Kiritimati (UTC+14) is always a calendar day or two ahead of Pago Pago (UTC-11): Foundation says which day it is there.
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Pacific/Kiritimati")!
        let parts = calendar.dateComponents([.year, .month, .day], from: Date())
        let kiritimatiToday = String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
        func record() throws -> CurlResponse {
            try api.call("POST", "/training-records", token: world.token(.coordinator),
                         json: ["person_id": world.other, "title": "Night course", "completed_on": kiritimatiToday, "hours": 1])
        }
        #expect(try api.call("PATCH", "/records/settings", token: admin, json: ["time_zone": "Pacific/Kiritimati"]).status == 200)
        #expect(try record().status == 201)
        #expect(try api.call("PATCH", "/records/settings", token: admin, json: ["time_zone": "Pacific/Pago_Pago"]).status == 200)
        #expect(try record().errorCode == "invalid_completed_on")
        #expect(try api.call("PATCH", "/records/settings", token: admin, json: ["time_zone": "America/Chicago"]).status == 200)
    }

    static func changesAreAudited(_ world: RecordsWorld) async throws {
        let api = world.api
        let record = try world.record(for: world.other, title: "Audited course")
        #expect(try api.call("PATCH", "/training-records/\(record)", token: world.token(.coordinator), json: ["hours": 6],
                             headers: ["If-Match": "1"]).status == 200)
        #expect(try api.call("GET", "/personnel/\(world.other)/training-records", token: world.token(.auditor)).status == 200)
        let events = try await auditEvents(world, "target_type=training_record&target_id=\(record)") { events in
            Set(["training_record.created", "training_record.corrected"]).isSubset(of: Set(events.compactMap { $0["action"] as? String }))
        }
        let corrected = events.first { $0["action"] as? String == "training_record.corrected" }
        let hours = (corrected?["changes"] as? [String: Any])?["hours"] as? [String: Any]
        #expect(hours?["before"] as? Double == 2 && hours?["after"] as? Double == 6, "\(events)")
        #expect((corrected?["actor"] as? [String: Any])?["user_id"] as? String == world.users[.coordinator]!.id, "\(String(describing: corrected))")
        // Reading someone else's file is audited too, with who read it.
        let auditor = world.users[.auditor]!.id
        // Others read this file earlier: wait for the auditor's read itself, which the relay may deliver after theirs.
        let reads = try await auditEvents(world, "action=training_records.read&target_type=person&target_id=\(world.other)") { events in
            events.contains { ($0["actor"] as? [String: Any])?["user_id"] as? String == auditor }
        }
        #expect(reads.contains { ($0["actor"] as? [String: Any])?["user_id"] as? String == auditor })
    }

    /// Audit's events matching `query`, read as the auditor until `done` holds (the outbox relays within seconds).
    static func auditEvents(_ world: RecordsWorld, _ query: String, until done: ([[String: Any]]) -> Bool) async throws -> [[String: Any]] {
        var events: [[String: Any]] = []
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            events = try Curl.request("GET", world.platform.url(.gateway) + "/api/v1/audit/events?\(query)",
                                      headers: ["Authorization": "Bearer \(world.token(.auditor))"]).items
            if done(events) { break }
            try await Task.sleep(for: .milliseconds(300))
        }
        return events
    }

    static func supervisorScope(_ world: RecordsWorld) throws {
        let api = world.api, supervisor = world.token(.supervisor), officer = world.own[.officer]!
        #expect(try api.call("GET", "/personnel/\(officer)", token: supervisor).status == 200, "night is below patrol")
        #expect(try api.call("GET", "/personnel/\(officer)/training-records", token: supervisor).status == 200)
        #expect(try api.call("GET", "/personnel/\(world.other)", token: supervisor).status == 403)
        let listed = Set(try api.call("GET", "/personnel?limit=200", token: supervisor).items.compactMap { $0["id"] as? String })
        #expect(listed == [world.own[.supervisor]!, officer])
        #expect(try api.call("DELETE", "/units/\(world.patrol)/supervisors/\(world.users[.supervisor]!.id)", token: world.setup).status == 204)
        #expect(try api.call("GET", "/personnel/\(officer)", token: supervisor).status == 403)
        #expect(try api.call("GET", "/personnel/\(world.own[.supervisor]!)", token: supervisor).status == 200, "their own file stays theirs")
        #expect(try api.call("GET", "/personnel", token: supervisor).items.isEmpty)
        let notSupervisor = try api.call("PUT", "/units/\(world.patrol)/supervisors/\(world.users[.officer]!.id)", token: world.setup)
        #expect(notSupervisor.status == 422 && notSupervisor.errorCode == "invalid_supervisor")
        #expect(try api.call("PUT", "/units/\(world.patrol)/supervisors/\(world.b.admin.id)", token: world.setup).status == 422, "another agency's user")
    }

    /// The rows an `invalid_rows` error names.
    static func rows(_ response: CurlResponse) -> [Int] {
        ((response.json?["error"] as? [String: Any])?["rows"] as? [[String: Any]] ?? []).compactMap { $0["row"] as? Int }
    }
}
