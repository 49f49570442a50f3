import Foundation
import MusterAuth
import MusterCore
import MusterTestSupport
import Testing

/// One running platform with two agencies, seeded through the Gateway:
///
/// - agency A: units `patrol` (with `night` below it) and `records`; one user of each
///   role (officer, supervisor, coordinator, agency_admin, auditor), each linked to a
///   person of their own; the supervisor supervises `patrol`; the officer's person is
///   in `night` (so the supervisor sees them); `other` is a person in `records` whom
///   no one but the staff may read; a category, a certification type, a course.
/// - agency B: a unit, a person with a record and a certification, a course, an event:
///   ids that agency A's users must never reach.
///
/// The setup user is each agency's first admin, linked to no person, so it may
/// record training for anyone.
struct RecordsWorld: Sendable {
    static let roles: [Role] = [.officer, .supervisor, .coordinator, .agencyAdmin, .auditor]

    let platform: Platform
    let api: RecordsClient
    let a: AgencyFixture
    let b: AgencyFixture
    let users: [Role: UserFixture]
    /// The person linked to each role's login.
    let own: [Role: String]
    let other: String
    let patrol: String, night: String, recordsUnit: String
    let course: String, certificationType: String
    let bPerson: String, bRecord: String, bCertification: String, bUnit: String, bCourse: String, bEvent: String

    var setup: String { a.adminToken }

    func token(_ role: Role) -> String { users[role]!.accessToken }

    static func start() async throws -> RecordsWorld {
        let platform = try await Platform.start(extraEnvironment: ["MUSTER_RATE_LIMITS": "off"])
        do {
            return try await build(platform)
        } catch {
            platform.stop()
            throw error
        }
    }

    private static func build(_ platform: Platform) async throws -> RecordsWorld {
        let api = RecordsClient(platform: platform)
        let a = try await platform.createAgency(waitUntilActive: true)
        let b = try await platform.createAgency(waitUntilActive: true)
        var users: [Role: UserFixture] = [:]
        for role in roles { users[role] = try await platform.createUser(in: a, roles: [role], name: "\(role.rawValue) user") }

        func create(_ path: String, _ body: [String: Any], token: String) throws -> String {
            let response = try api.call("POST", path, token: token, json: body)
            guard response.status == 201 else { throw SetupError(description: "POST \(path): \(response.status) \(response.body)") }
            return RecordsClient.id(response)
        }
        let patrol = try create("/units", ["name": "Patrol"], token: a.adminToken)
        let night = try create("/units", ["name": "Night shift", "parent_id": patrol], token: a.adminToken)
        let recordsUnit = try create("/units", ["name": "Records"], token: a.adminToken)
        let assigned = try api.call("PUT", "/units/\(patrol)/supervisors/\(users[.supervisor]!.id)", token: a.adminToken)
        guard assigned.status == 204 else { throw SetupError(description: "assigning the supervisor: \(assigned.status) \(assigned.body)") }
        var own: [Role: String] = [:]
        for (index, role) in roles.enumerated() {
            let unit = role == .officer ? night : role == .supervisor ? patrol : recordsUnit
            own[role] = try create("/personnel", ["badge_number": "A-\(index)", "first_name": role.rawValue, "last_name": "Linked",
                                                  "hire_date": "2020-01-15", "unit_id": unit, "user_id": users[role]!.id,
                                                  "email": "\(role.rawValue)@a.test"], token: a.adminToken)
        }
        let other = try create("/personnel", ["badge_number": "A-OTHER", "first_name": "Olga", "last_name": "Other",
                                              "hire_date": "2019-03-01", "unit_id": recordsUnit], token: a.adminToken)
        _ = try create("/categories", ["code": "firearms", "name": "Firearms"], token: a.adminToken)
        let type = try create("/certification-types", ["code": "firearms_instructor", "name": "Firearms instructor",
                                                       "validity_months": 24], token: a.adminToken)
        let course = try create("/courses", ["code": "qual", "title": "Firearms qualification", "hours": 4,
                                             "category_hours": ["firearms": 4]], token: a.adminToken)

        _ = try create("/categories", ["code": "firearms", "name": "Firearms"], token: b.adminToken)
        let bUnit = try create("/units", ["name": "B unit"], token: b.adminToken)
        let bPerson = try create("/personnel", ["badge_number": "B-1", "first_name": "Bea", "last_name": "Bravo",
                                                "hire_date": "2018-01-01", "unit_id": bUnit], token: b.adminToken)
        let bType = try create("/certification-types", ["code": "cpr", "name": "CPR", "validity_months": 12], token: b.adminToken)
        let bCourse = try create("/courses", ["code": "b_course", "title": "B course", "hours": 2], token: b.adminToken)
        let bRecord = try create("/training-records", ["person_id": bPerson, "course_id": bCourse, "completed_on": "2024-05-01"],
                                 token: b.adminToken)
        let bCertification = try create("/certifications", ["person_id": bPerson, "type_id": bType, "issued_on": "2024-01-01"],
                                        token: b.adminToken)
        let bEvent = try create("/training-events", ["course_id": bCourse, "starts_on": "2024-06-01"], token: b.adminToken)
        return RecordsWorld(platform: platform, api: api, a: a, b: b, users: users, own: own, other: other, patrol: patrol,
                            night: night, recordsUnit: recordsUnit, course: course, certificationType: type, bPerson: bPerson,
                            bRecord: bRecord, bCertification: bCertification, bUnit: bUnit, bCourse: bCourse, bEvent: bEvent)
    }

    func stop() { platform.stop() }

    /// An approved record for `person` made by the setup user.
    func record(for person: String, title: String = "Defensive tactics", on date: String = "2024-03-01") throws -> String {
        let response = try api.call("POST", "/training-records", token: setup,
                                    json: ["person_id": person, "title": title, "completed_on": date, "hours": 2, "outcome": "completed"])
        guard response.status == 201 else { throw SetupError(description: "record: \(response.status) \(response.body)") }
        return RecordsClient.id(response)
    }

    /// A pending submission of the person linked to `role`'s login.
    func submission(by role: Role) throws -> String {
        let response = try api.call("POST", "/me/training-records", token: token(role),
                                    json: ["title": "Outside course", "completed_on": "2024-02-01", "hours": 3])
        guard response.status == 201 else { throw SetupError(description: "submission: \(response.status) \(response.body)") }
        return RecordsClient.id(response)
    }

    func certification(for person: String) throws -> String {
        let response = try api.call("POST", "/certifications", token: setup,
                                    json: ["person_id": person, "type_id": certificationType, "issued_on": "2024-01-31"])
        guard response.status == 201 else { throw SetupError(description: "certification: \(response.status) \(response.body)") }
        return RecordsClient.id(response)
    }

    func event() throws -> String {
        let response = try api.call("POST", "/training-events", token: setup, json: ["course_id": course, "starts_on": "2024-04-02"])
        guard response.status == 201 else { throw SetupError(description: "event: \(response.status) \(response.body)") }
        return RecordsClient.id(response)
    }
}

struct SetupError: Error, CustomStringConvertible {
    let description: String
}
