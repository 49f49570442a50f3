import Foundation
import MusterCore
import MusterTestSupport
import MusterTime
import RecordsService
import Testing

/// The compliance API end to end on one platform: requirements validated field by field,
/// a rule pack applied twice, versions and waivers, and — for a seeded agency — every
/// person's status through the Gateway equal to the engine's over the same data as the
/// test knows it (from the answers of the routes that wrote it, not from the loader), the
/// summary equal to the engine's, a record visible on the next request, the CSV, and
/// another agency's ids never found.
@Suite struct ComplianceAPITests {
    @Test func complianceThroughTheGateway() async throws {
        let world = try await RecordsWorld.start()
        defer { world.stop() }
        try Self.requirementsAreValidated(world)
        var seeded = try ComplianceSeed.seed(world)
        try Self.versionsAndWaivers(world, &seeded)
        try Self.statusesEqualTheEngine(world, seeded)
        try Self.aRecordIsInTheNextSummary(world, &seeded)
        try Self.csvHasARowPerPersonAndRequirement(world, seeded)
        try Self.otherAgenciesIdsAreNeverFound(world, seeded)
        try await Self.readsAreAudited(world)
    }

    static func requirementsAreValidated(_ world: RecordsWorld) throws {
        let api = world.api, token = world.token(.coordinator)
        let before = try api.count("requirements", agency: world.a.id)
        let hours: [String: Any] = ["period": ["kind": "calendar_year"], "total_hours": 20]
        func refused(_ kind: String, _ params: [String: Any], _ field: String, extra: [String: Any] = [:]) throws {
            var body: [String: Any] = ["code": "bad_\(RoleMatrix.unique)", "name": "Bad", "kind": kind, "params": params]
            body.merge(extra) { $1 }
            let response = try api.call("POST", "/requirements", token: token, json: body)
            let message = (response.json?["error"] as? [String: Any])?["message"] as? String ?? ""
            #expect(response.status == 422 && response.errorCode == "invalid_requirement" && message.hasPrefix(field),
                    "\(field): \(response.status) \(response.body)")
        }
        try refused("hours", hours.merging(["category_minimums": [["category_codes": ["nonesuch"], "hours": 2]]]) { $1 },
                    "params.category_minimums[0].category_codes")
        try refused("hours", ["period": ["kind": "fixed", "starts_on": "2025-01-01", "months": 0], "total_hours": 20], "params.period.months")
        try refused("hours", hours.merging(["category_minimums": [["category_codes": ["firearms"], "hours": 21]]]) { $1 },
                    "params.category_minimums[0].hours")
        try refused("hours", hours.merging(["bogus": 1]) { $1 }, "params.bogus")
        try refused("completion", ["period": ["kind": "calendar_year"], "course_codes": ["no_such_course"]], "params.course_codes")
        try refused("certification", ["certification_type_id": UUID().uuidString.lowercased()], "params.certification_type_id")
        try refused("certification", ["certification_type_id": world.certificationType, "initial_days": -1], "params.initial_days")
        try refused("policy", ["policy_id": UUID().uuidString.lowercased(), "within_days": 14], "params.policy_id")
        try refused("hours", hours, "applies_to.unit_ids[0]", extra: ["applies_to": ["unit_ids": [world.bUnit]]])
        try refused("hours", hours, "effective_to", extra: ["effective_from": "2025-01-01", "effective_to": "2024-12-31"])
        try refused("hours", hours, "due_soon_days", extra: ["due_soon_days": 5000])
        let badCode = try api.call("POST", "/requirements", token: token, json: ["code": "Bad Code", "name": "x", "kind": "hours", "params": hours])
        #expect(badCode.status == 422 && badCode.errorCode == "invalid_requirement")
        let badKind = try api.call("POST", "/requirements", token: token, json: ["code": "k_x", "name": "x", "kind": "yearly", "params": hours])
        #expect(badKind.status == 422)
        #expect(try api.count("requirements", agency: world.a.id) == before, "nothing written")
        #expect(try api.count("requirement_versions", agency: world.a.id) == before)
    }

    static func versionsAndWaivers(_ world: RecordsWorld, _ seeded: inout ComplianceSeed) throws {
        let api = world.api, token = world.token(.coordinator)
        // A new version from 2025-01-01: the first one ends the day before and keeps its periods.
        let id = seeded.requirements["cat_hours"]!
        let changed = try api.call("PUT", "/requirements/\(id)", token: token, json: [
            "name": "Firearms cycle (raised)", "effective_from": "2025-01-01", "applies_to": ["unit_ids": [world.patrol]],
            "params": ["period": ["kind": "fixed", "starts_on": "2023-01-01", "months": 24], "total_hours": 30,
                       "category_minimums": [["category_codes": ["firearms"], "hours": 4]]],
        ])
        #expect(changed.status == 200, "\(changed.body)")
        let versions = changed.json?["versions"] as? [[String: Any]] ?? []
        #expect(versions.map { $0["effective_to"] as? String } == ["2024-12-31", nil])
        #expect(try api.call("PUT", "/requirements/\(id)", token: token, json: [
            "name": "Too early", "effective_from": "2024-06-01",
            "params": ["period": ["kind": "calendar_year"], "total_hours": 1],
        ]).errorCode == "invalid_requirement")
        #expect(try api.call("PUT", "/requirements/\(id)", token: token, json: [
            "kind": "recurring", "name": "x", "effective_from": "2026-01-01", "params": ["every_months": 12, "course_codes": ["qual"]],
        ]).errorCode == "invalid_requirement", "the kind never changes")

        // Waivers: a period of a period kind, ending on a period's last day; other kinds until a date.
        let subject = seeded.people[0].id
        let utah = seeded.requirements["ut_annual_training"]!
        func waive(_ body: [String: Any]) throws -> CurlResponse {
            try api.call("POST", "/personnel/\(subject)/waivers", token: token, json: body)
        }
        #expect(try waive(["requirement_id": utah, "period_ends_on": "2024-06-29", "reason": "x"]).errorCode == "invalid_waiver")
        #expect(try waive(["requirement_id": utah, "until": "2024-06-30", "reason": "x"]).errorCode == "invalid_waiver")
        #expect(try waive(["requirement_id": utah, "period_ends_on": "2024-06-30"]).status == 400, "a reason is required")
        #expect(try waive(["requirement_id": seeded.requirements["instr_cert"]!, "period_ends_on": "2024-06-30", "reason": "x"])
            .errorCode == "invalid_waiver")
        let granted = try waive(["requirement_id": utah, "period_ends_on": "2024-06-30", "reason": "Military deployment"])
        #expect(granted.status == 201)
        let revocable = try waive(["requirement_id": seeded.requirements["instr_cert"]!, "until": "2025-03-31", "reason": "Renewal delayed"])
        let revokedID = RecordsClient.id(revocable)
        #expect(try api.call("DELETE", "/personnel/\(subject)/waivers/\(revokedID)", token: token).json?["revoked_at"] is String)
        #expect(try api.call("DELETE", "/personnel/\(subject)/waivers/\(revokedID)", token: token).errorCode == "waiver_revoked")
        #expect(try api.call("GET", "/personnel/\(subject)/waivers", token: token).items.count == 2, "revoked ones stay listed")
        // With the year before waived too, the officer's 2023–24 year reads `waived` (not `overdue` for the year before).
        let earlier = try waive(["requirement_id": utah, "period_ends_on": "2023-06-30", "reason": "Academy"])
        for (response, endsOn) in [(granted, "2024-06-30"), (earlier, "2023-06-30")] {
            seeded.people[0].waivers.append(ComplianceWaiver(id: WaiverID(string: RecordsClient.id(response))!,
                                                             requirementID: RequirementID(string: utah)!,
                                                             scope: .period(endsOn: CalendarDate(endsOn)!)))
        }
    }

    static let datesJudged = ["2023-03-15", "2024-06-30", "2024-07-01", "2025-02-10", "2025-06-15", "2026-11-20", "2027-08-01"]

    static func statusesEqualTheEngine(_ world: RecordsWorld, _ seeded: ComplianceSeed) throws {
        let rulebook = try seeded.rulebook(world)
        var statuses: Set<String> = []
        for asOf in datesJudged {
            let plan = CompliancePlan(rulebook: rulebook, asOf: CalendarDate(asOf)!)
            for person in seeded.people {
                let response = try world.api.call("GET", "/personnel/\(person.id)/compliance?as_of=\(asOf)", token: world.token(.auditor))
                let expected = try JSONSerialization.jsonObject(with: Data(try JSONCoding.encode(plan.report(for: rulebook.prepare(person.history)))))
                #expect(response.status == 200)
                statuses.formUnion((response.json?["requirements"] as? [[String: Any]] ?? []).compactMap { $0["status"] as? String })
                #expect(NSDictionary(dictionary: response.json ?? [:]).isEqual(expected),
                        "\(person.id) on \(asOf):\n\(response.body)\nengine: \(expected)")
            }
            let summary = try world.api.call("GET", "/compliance/summary?as_of=\(asOf)", token: world.token(.coordinator))
            let units = try seeded.units(world)
            let engine = ComplianceSummary(plan: plan, people: seeded.people.map { rulebook.prepare($0.history) }, units: units,
                                           rows: units.map(\.id).sorted { $0.description < $1.description })
            #expect(NSDictionary(dictionary: summary.json ?? [:]).isEqual(try JSONSerialization.jsonObject(with: Data(try JSONCoding.encode(engine)))),
                    "summary on \(asOf): \(summary.body)")
        }
        #expect(statuses == Set(RequirementStatus.allCases.map(\.rawValue)), "the seed reaches every status: \(statuses)")
        // The officer reads their own; a future as_of is a forecast.
        let mine = try world.api.call("GET", "/me/compliance?as_of=2027-01-01", token: world.token(.officer))
        #expect(mine.json?["person_id"] as? String == world.own[.officer] && mine.json?["as_of"] as? String == "2027-01-01")
        #expect(try world.api.call("GET", "/me/compliance?as_of=2027-02-30", token: world.token(.officer)).errorCode == "invalid_as_of")
        #expect(try world.api.call("GET", "/me/compliance?as_of=9999-12-31", token: world.token(.officer)).errorCode == "invalid_as_of")
        for edge in ["1900-01-01", "2199-12-31"] {
            #expect(try world.api.call("GET", "/compliance/summary?as_of=\(edge)", token: world.token(.auditor)).status == 200, "\(edge)")
        }
        // The supervisor's summary counts patrol and night only; a unit outside is refused.
        let supervised = try world.api.call("GET", "/compliance/summary?as_of=2025-02-10", token: world.token(.supervisor))
        #expect(Set((supervised.json?["by_unit"] as? [[String: Any]] ?? []).compactMap { $0["unit_id"] as? String }) == [world.patrol, world.night])
        #expect(try world.api.call("GET", "/compliance/summary?unit_id=\(world.recordsUnit)", token: world.token(.supervisor)).status == 403)
        let overdue = try world.api.call("GET", "/compliance/personnel?as_of=2025-02-10&status=overdue&limit=2", token: world.token(.coordinator))
        #expect(overdue.status == 200 && overdue.items.allSatisfy { $0["status"] as? String == "overdue" })
        try pagesCoverEveryone(world, seeded)
    }

    /// Pages of `/compliance/personnel` list each non-separated person once, in order.
    static func pagesCoverEveryone(_ world: RecordsWorld, _ seeded: ComplianceSeed) throws {
        var seen: [String] = [], cursor: String?
        repeat {
            let page = try world.api.call("GET", "/compliance/personnel?as_of=2025-02-10&limit=3" + (cursor.map { "&cursor=\($0)" } ?? ""),
                                          token: world.token(.auditor))
            seen += page.items.compactMap { $0["person_id"] as? String }
            cursor = page.json?["next_cursor"] as? String
        } while cursor != nil && seen.count < 200
        let expected = seeded.people.filter { $0.history.person.status != .separated }.map(\.id)
        #expect(seen.count == expected.count && Set(seen) == Set(expected), "\(seen)")
    }

    static func aRecordIsInTheNextSummary(_ world: RecordsWorld, _ seeded: inout ComplianceSeed) throws {
        let api = world.api, requirement = seeded.requirements["fa_annual"]!
        func counts() throws -> [String: Any] {
            let summary = try api.call("GET", "/compliance/summary?as_of=2025-02-10", token: world.token(.coordinator))
            return (summary.json?["by_requirement"] as? [[String: Any]] ?? []).first { $0["requirement_id"] as? String == requirement } ?? [:]
        }
        let person = try api.call("POST", "/personnel", token: world.setup, json: [
            "badge_number": "N-\(RoleMatrix.unique)", "first_name": "Nora", "last_name": "Newrecord", "hire_date": "2018-05-01",
            "unit_id": world.recordsUnit])
        let id = RecordsClient.id(person)
        let before = try counts()
        for date in ["2024-05-02", "2025-01-20"] {
            #expect(try api.call("POST", "/training-records", token: world.setup, json: [
                "person_id": id, "course_id": world.course, "completed_on": date, "outcome": "passed"]).status == 201)
        }
        let after = try counts()
        #expect(after["met"] as? Int == (before["met"] as? Int ?? -9) + 1)
        #expect(after["overdue"] as? Int == (before["overdue"] as? Int ?? -9) - 1)
    }

    static func csvHasARowPerPersonAndRequirement(_ world: RecordsWorld, _ seeded: ComplianceSeed) throws {
        let csv = try world.api.call("GET", "/compliance.csv?as_of=2025-02-10", token: world.token(.auditor))
        #expect(csv.status == 200)
        let lines = csv.body.split(separator: "\r\n", omittingEmptySubsequences: true)
        let requirements = try world.api.call("GET", "/requirements", token: world.setup).items.count
        let people = try world.api.call("GET", "/personnel?limit=200", token: world.setup).items.filter { $0["status"] as? String != "separated" }
        #expect(lines.count == 1 + people.count * requirements, "header + one row per person and requirement")
        #expect(lines.first?.hasPrefix("person_id,badge_number,last_name") == true)
        #expect(csv.body.contains(",'=Formula,"), "a name a spreadsheet would run is escaped")
        let supervisor = try world.api.call("GET", "/compliance.csv?as_of=2025-02-10", token: world.token(.supervisor))
        let supervised = try world.api.call("GET", "/personnel?limit=200", token: world.token(.supervisor)).items
            .filter { $0["status"] as? String != "separated" }
        #expect(supervisor.body.split(separator: "\r\n").count == 1 + supervised.count * requirements, "the supervisor's people only")
    }

    static func otherAgenciesIdsAreNeverFound(_ world: RecordsWorld, _ seeded: ComplianceSeed) throws {
        let api = world.api, b = world.b.adminToken, person = seeded.people[0].id, requirement = seeded.requirements["cat_hours"]!
        #expect(try api.call("GET", "/personnel/\(person)/compliance", token: b).status == 404)
        #expect(try api.call("GET", "/personnel/\(person)/waivers", token: b).status == 404)
        #expect(try api.call("GET", "/requirements/\(requirement)", token: b).status == 404)
        #expect(try api.call("PUT", "/requirements/\(requirement)", token: b, json: ["name": "x", "params": [:]]).status == 404)
        #expect(try api.call("DELETE", "/requirements/\(requirement)", token: b).status == 404)
        #expect(try api.call("POST", "/personnel/\(person)/waivers", token: b,
                             json: ["requirement_id": requirement, "until": "2030-01-01", "reason": "x"]).status == 404)
        #expect(try api.call("GET", "/compliance/summary?unit_id=\(world.patrol)", token: b).status == 404)
        #expect(try api.call("GET", "/compliance/personnel?requirement_id=\(requirement)", token: b).status == 404)
        let bList = try api.call("GET", "/compliance/personnel", token: b)
        #expect(bList.items.map { $0["person_id"] as? String } == [world.bPerson])
        // Ending a requirement: default today, then refused once ended.
        #expect(try api.call("DELETE", "/requirements/\(requirement)?effective_to=2030-01-01", token: world.setup).json?["effective_to"] as? String
                == "2030-01-01")
        #expect(try api.call("DELETE", "/requirements/\(requirement)?effective_to=2031-01-01", token: world.setup).errorCode == "requirement_ended")
    }

    static func readsAreAudited(_ world: RecordsWorld) async throws {
        let auditor = world.users[.auditor]!.id
        _ = try world.api.call("GET", "/personnel/\(world.other)/compliance", token: world.token(.auditor))
        let reads = try await WorkflowTests.auditEvents(world, "action=compliance.read&target_type=person&target_id=\(world.other)") { events in
            events.contains { ($0["actor"] as? [String: Any])?["user_id"] as? String == auditor }
        }
        #expect(reads.contains { ($0["actor"] as? [String: Any])?["user_id"] as? String == auditor })
        let waivers = try await WorkflowTests.auditEvents(world, "action=waiver.created") { !$0.isEmpty }
        #expect(waivers.contains { $0["reason"] as? String == "Military deployment" })
    }
}
