import Foundation
import MusterCore
import MusterTestSupport
import MusterTime
import RecordsService

/// A seeded agency for the compliance tests, written through the Gateway, and the same
/// data as the engine's input built from the routes' answers (not from Records' loader):
/// the Utah pack and four requirements of the other kinds, a dozen people of every status,
/// unit and hire date, a few hundred records (some failed, voided or pending), certifications.
struct ComplianceSeed {
    struct Person {
        let id: String
        var person: CompliancePerson
        var records: [ComplianceTrainingRecord] = []
        var certifications: [ComplianceCertification] = []
        var waivers: [ComplianceWaiver] = []
        var history: PersonHistory { PersonHistory(person: person, records: records, certifications: certifications, waivers: waivers) }
    }

    var people: [Person]
    /// By code.
    let requirements: [String: String]

    static func seed(_ world: RecordsWorld) throws -> ComplianceSeed {
        let api = world.api, token = world.token(.coordinator)
        func created(_ response: CurlResponse, _ what: String) throws -> [String: Any] {
            guard response.status == 201, let json = response.json else { throw SetupError(description: "\(what): \(response.status) \(response.body)") }
            return json
        }
        let applied = try api.call("POST", "/requirement-packs/utah/apply", token: token)
        guard applied.status == 200, (applied.json?["requirements_created"] as? [String])?.count == 1 else {
            throw SetupError(description: "utah: \(applied.status) \(applied.body)")
        }
        let again = try api.call("POST", "/requirement-packs/utah/apply", token: token).json
        guard (again?["requirements_created"] as? [String])?.isEmpty == true, (again?["categories_created"] as? [String])?.isEmpty == true else {
            throw SetupError(description: "applying twice created something: \(String(describing: again))")
        }
        let definitions: [[String: Any]] = [
            ["code": "fa_annual", "name": "Yearly firearms qualification", "kind": "completion", "effective_from": "2020-01-01",
             "params": ["period": ["kind": "calendar_year"], "course_codes": ["qual"], "outcome": "passed", "new_hires": "exempt"]],
            ["code": "cat_hours", "name": "Firearms cycle", "kind": "hours", "effective_from": "2021-01-01", "due_soon_days": 90,
             "applies_to": ["unit_ids": [world.patrol]],
             "params": ["period": ["kind": "fixed", "starts_on": "2023-01-01", "months": 24], "total_hours": 24,
                        "category_minimums": [["category_codes": ["firearms"], "hours": 4]]]],
            ["code": "instr_cert", "name": "Instructor certification", "kind": "certification", "effective_from": "2020-01-01",
             "due_soon_days": 90, "applies_to": ["ranks": ["sergeant"]],
             "params": ["certification_type_id": world.certificationType, "initial_days": 180]],
            ["code": "qual_recurring", "name": "Qualification every 12 months", "kind": "recurring", "effective_from": "2022-01-01",
             "params": ["every_months": 12, "course_codes": ["qual"], "initial_days": 30]],
        ]
        var requirements: [String: String] = [:]
        for definition in definitions {
            requirements[definition["code"] as! String] = try created(try api.call("POST", "/requirements", token: token, json: definition),
                                                                      "requirement")["id"] as? String
        }
        requirements["ut_annual_training"] = try api.call("GET", "/requirements", token: token).items
            .first { $0["code"] as? String == "ut_annual_training" }?["id"] as? String

        var people: [Person] = []
        for id in RecordsWorld.roles.map({ world.own[$0]! }) + [world.other] {
            people.append(Person(id: id, person: try person(try api.call("GET", "/personnel/\(id)", token: world.setup).json ?? [:])))
        }
        let newcomers: [[String: Any]] = [
            ["first_name": "Vera", "last_name": "Veteran", "hire_date": "2010-03-01", "unit_id": world.patrol, "rank": "sergeant"],
            ["first_name": "Sam", "last_name": "Steady", "hire_date": "2019-08-15", "unit_id": world.night, "rank": "officer"],
            ["first_name": "Nell", "last_name": "Newhire", "hire_date": "2024-02-29", "unit_id": world.patrol, "rank": "officer"],
            ["first_name": "Lee", "last_name": "Late", "hire_date": "2024-09-10", "unit_id": world.recordsUnit, "rank": "sergeant",
             "license_issued_on": "2024-09-01"],
            ["first_name": "Lou", "last_name": "Onleave", "hire_date": "2015-06-01", "unit_id": world.night, "status": "leave"],
            ["first_name": "Sid", "last_name": "Separated", "hire_date": "2012-01-09", "unit_id": world.patrol, "status": "separated",
             "separated_on": "2024-12-31"],
            ["first_name": "Formula", "last_name": "=Formula", "hire_date": "2021-04-30", "rank": "sergeant"],
            ["first_name": "Jan", "last_name": "January", "hire_date": "2025-01-15", "unit_id": world.patrol],
        ]
        for (index, fields) in newcomers.enumerated() {
            var body = fields
            body["badge_number"] = "S-\(index)"
            let json = try created(try api.call("POST", "/personnel", token: world.setup, json: body), "person")
            people.append(Person(id: json["id"] as! String, person: try person(json)))
        }

        var random = SplitMix64(seed: 20)
        for index in people.indices where index >= 6 {
            let hired = people[index].person.hireDate
            let first = max(hired.addingDays(-400), CalendarDate("2021-01-01")!)
            let span = first.days(until: CalendarDate("2025-06-30")!)
            for _ in 0..<12 {
                let date = first.addingDays(Int(random.next() % UInt64(max(span, 1))))
                var body: [String: Any] = ["person_id": people[index].id, "completed_on": date.description]
                switch random.next() % 4 {
                case 0: body["course_id"] = world.course; body["outcome"] = random.next() % 3 == 0 ? "failed" : "passed"
                case 1: body["title"] = "Range day"; body["hours"] = Double(random.next() % 16 + 1) / 2
                        body["category_hours"] = ["firearms": 0.5]
                default: body["title"] = "In-service"; body["hours"] = Double(random.next() % 32 + 1) / 4
                }
                let json = try created(try api.call("POST", "/training-records", token: world.setup, json: body), "record")
                people[index].records.append(try record(json, world: world))
            }
            if index % 3 == 0 {
                let json = try created(try api.call("POST", "/certifications", token: world.setup, json: [
                    "person_id": people[index].id, "type_id": world.certificationType,
                    "issued_on": hired.addingDays(Int(random.next() % 700)).description]), "certification")
                people[index].certifications.append(try certification(json))
            }
        }
        // A voided record and a pending submission count for nothing.
        let voided = try created(try api.call("POST", "/training-records", token: world.setup, json: [
            "person_id": people[6].id, "title": "Entered twice", "completed_on": "2024-03-03", "hours": 40]), "record")
        let void = try api.call("DELETE", "/training-records/\(voided["id"] as! String)", token: world.setup)
        people[6].records.append(try record(void.json ?? [:], world: world))
        let pending = try created(try api.call("POST", "/me/training-records", token: world.token(.officer), json: [
            "title": "Outside course", "completed_on": "2024-02-01", "hours": 40]), "submission")
        people[0].records.append(try record(pending, world: world))
        return ComplianceSeed(people: people, requirements: requirements)
    }

    private static func person(_ json: [String: Any]) throws -> CompliancePerson {
        CompliancePerson(id: PersonID(string: json["id"] as? String ?? "")!, status: PersonStatus(rawValue: json["status"] as? String ?? "")!,
                         hireDate: CalendarDate(json["hire_date"] as? String ?? "")!,
                         licenseIssuedOn: (json["license_issued_on"] as? String).flatMap(CalendarDate.init),
                         rank: json["rank"] as? String, unitID: (json["unit_id"] as? String).flatMap(UnitID.init(string:)))
    }

    private static func record(_ json: [String: Any], world: RecordsWorld) throws -> ComplianceTrainingRecord {
        let split = (json["category_hours"] as? [String: Double] ?? [:]).sorted { $0.key < $1.key }
            .map { CategoryHours(code: $0.key, hours: QuarterHours(hours: $0.value)!) }
        return ComplianceTrainingRecord(
            id: TrainingRecordID(string: json["id"] as? String ?? "")!, status: TrainingRecordStatus(rawValue: json["status"] as? String ?? "")!,
            outcome: TrainingOutcome(rawValue: json["outcome"] as? String ?? "")!, completedOn: CalendarDate(json["completed_on"] as? String ?? "")!,
            hours: QuarterHours(hours: json["hours"] as? Double ?? -1)!, categoryHours: split,
            courseCode: json["course_id"] as? String == world.course ? "qual" : nil)
    }

    private static func certification(_ json: [String: Any]) throws -> ComplianceCertification {
        ComplianceCertification(id: CertificationID(string: json["id"] as? String ?? "")!,
                                typeID: CertificationTypeID(string: json["type_id"] as? String ?? "")!,
                                issuedOn: CalendarDate(json["issued_on"] as? String ?? "")!,
                                expiresOn: (json["expires_on"] as? String).flatMap(CalendarDate.init))
    }

    /// The agency's requirements as `GET /requirements/{id}` shows them, every version, in code order.
    func rulebook(_ world: RecordsWorld) throws -> ComplianceRulebook {
        let listed = try world.api.call("GET", "/requirements", token: world.setup).items
        let requirements = try listed.map { item in
            let id = item["id"] as! String
            let json = try world.api.call("GET", "/requirements/\(id)", token: world.setup).json ?? [:]
            let kind = RequirementKind(rawValue: json["kind"] as? String ?? "")!
            let versions = try (json["versions"] as? [[String: Any]] ?? []).map { version in
                let params = try JSONCoding.decode(JSONValue.self, from: Array(try JSONSerialization.data(withJSONObject: version["params"]!)))
                let applies = version["applies_to"] as? [String: Any] ?? [:]
                return RequirementVersion(
                    params: try RequirementParams.parse(kind: kind, json: params),
                    appliesTo: AppliesTo(ranks: applies["ranks"] as? [String], unitIDs: (applies["unit_ids"] as? [String])?.map { UnitID(string: $0)! }),
                    effectiveFrom: CalendarDate(version["effective_from"] as? String ?? "")!,
                    effectiveTo: (version["effective_to"] as? String).flatMap(CalendarDate.init),
                    dueSoonDays: version["due_soon_days"] as? Int ?? -1, mandatory: version["mandatory"] as? Bool ?? false)
            }
            return ComplianceRequirement(id: RequirementID(string: id)!, code: json["code"] as? String ?? "", name: json["name"] as? String ?? "",
                                         versions: versions)
        }
        return ComplianceRulebook(requirements: requirements, units: try units(world))
    }

    func units(_ world: RecordsWorld) throws -> [ComplianceUnit] {
        try world.api.call("GET", "/units", token: world.setup).items.map {
            ComplianceUnit(id: UnitID(string: $0["id"] as? String ?? "")!, parentID: ($0["parent_id"] as? String).flatMap(UnitID.init(string:)))
        }
    }
}
