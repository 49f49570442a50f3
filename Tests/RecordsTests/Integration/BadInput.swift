import Foundation
import MusterCore
import MusterTestSupport
import Testing

/// Bad input on every write route: missing and wrong-typed fields, dates that do not
/// exist, hours off the quarter-hour, unknown fields, malformed JSON, invalid UTF-8 and
/// a 10 MB body are each a `4xx` with the standard error body, and no table changes.
enum BadInput {
    /// Each write route with bodies it must refuse, and the status each must get.
    static func cases(_ world: RecordsWorld) throws -> [(method: String, path: String, body: Any, status: Int)] {
        let person = world.other, course = world.course, type = world.certificationType
        let record = try world.record(for: person), certification = try world.certification(for: person), event = try world.event()
        let validRecord: [String: Any] = ["person_id": person, "title": "T", "completed_on": "2024-01-01", "hours": 1]
        /// The valid record with `changes` (a nil value leaves the field out).
        func with(_ base: [String: Any], _ changes: [String: Any?]) -> [String: Any] {
            var body = base
            for (key, value) in changes { body[key] = value }
            return body
        }
        return [
            ("POST", "/units", [String: Any](), 400),
            ("POST", "/units", ["name": 7], 400),
            ("POST", "/units", ["name": "X", "parent_id": "not-an-id"], 422),
            ("POST", "/units", ["name": "X", "colour": "red"], 400),
            ("POST", "/units", ["name": String(repeating: "n", count: 201)], 422),
            ("PATCH", "/units/\(world.recordsUnit)", ["name": ["nested"]], 400),
            ("POST", "/personnel", ["first_name": "A", "last_name": "B", "hire_date": "2024-01-01"], 400),
            ("POST", "/personnel", ["badge_number": 12, "first_name": "A", "last_name": "B", "hire_date": "2024-01-01"], 400),
            ("POST", "/personnel", ["badge_number": "Z1", "first_name": "A", "last_name": "B", "hire_date": "2025-02-30"], 422),
            ("POST", "/personnel", ["badge_number": "Z1", "first_name": "A", "last_name": "B", "hire_date": "2024-01-01", "status": "retired"], 422),
            ("POST", "/personnel", ["badge_number": "Z1", "first_name": "A", "last_name": "B", "hire_date": "2024-01-01", "status": "separated"], 422),
            ("POST", "/personnel", ["badge_number": "A-OTHER", "first_name": "A", "last_name": "B", "hire_date": "2024-01-01"], 409),
            ("PATCH", "/personnel/\(person)", ["hire_date": "2024-13-01"], 422),
            ("PATCH", "/personnel/\(person)", ["last_name": NSNull()], 400),
            ("POST", "/categories", ["code": "Bad Code", "name": "X"], 422),
            ("POST", "/categories", ["code": "firearms", "name": "Again"], 409),
            ("POST", "/certification-types", ["code": "ok_code", "name": "X", "validity_months": "12"], 400),
            ("POST", "/courses", ["code": "c1", "title": "X", "hours": 0.1], 422),
            ("POST", "/courses", ["code": "c1", "title": "X", "hours": 2, "category_hours": ["firearms": 3]], 422),
            ("POST", "/courses", ["code": "c1", "title": "X", "hours": 2, "category_hours": ["unknown": 1]], 422),
            ("PATCH", "/courses/\(course)", ["hours": -1], 422),
            ("POST", "/training-records", with(validRecord, ["person_id": nil]), 400),
            ("POST", "/training-records", with(validRecord, ["completed_on": nil]), 400),
            ("POST", "/training-records", with(validRecord, ["completed_on": "2025-02-30"]), 422),
            ("POST", "/training-records", with(validRecord, ["completed_on": 20240101]), 400),
            ("POST", "/training-records", with(validRecord, ["completed_on": "2999-01-01"]), 422),
            ("POST", "/training-records", with(validRecord, ["hours": 0.1]), 422),
            ("POST", "/training-records", with(validRecord, ["hours": 0]), 422),
            ("POST", "/training-records", with(validRecord, ["hours": 1000.25]), 422),
            ("POST", "/training-records", with(validRecord, ["hours": "2"]), 400),
            ("POST", "/training-records", with(validRecord, ["outcome": "aced"]), 422),
            ("POST", "/training-records", with(validRecord, ["score": 1000.001]), 422),
            ("POST", "/training-records", with(validRecord, ["category_hours": ["firearms": 0.3]]), 422),
            ("POST", "/training-records", with(validRecord, ["category_hours": ["use_of_force": 1]]), 422),
            ("POST", "/training-records", with(validRecord, ["course_id": UUID().uuidString]), 422),
            ("POST", "/training-records", with(validRecord, ["person_id": UUID().uuidString]), 422),
            ("POST", "/me/training-records", ["title": "T", "completed_on": "2024-02-30", "hours": 1], 422),
            ("PATCH", "/training-records/\(record)", ["hours": 0.1], 422),
            ("PATCH", "/training-records/\(record)", ["person_id": person], 400),
            ("POST", "/training-records/\(record)/reject", [String: Any](), 400),
            ("POST", "/certifications", ["person_id": person, "type_id": type, "issued_on": "2023-02-29"], 422),
            ("POST", "/certifications", ["person_id": person, "type_id": type], 400),
            ("POST", "/certifications", ["person_id": person, "type_id": type, "issued_on": "2024-01-01", "expires_on": "2023-01-01"], 422),
            ("PATCH", "/certifications/\(certification)", ["issued_on": NSNull()], 400),
            ("POST", "/training-events", ["course_id": course, "starts_on": "2024-05-02", "ends_on": "2024-05-01"], 422),
            ("POST", "/training-events", ["starts_on": "2024-05-02"], 400),
            ("PUT", "/training-events/\(event)/roster", ["person_ids": "everyone"], 400),
            ("PUT", "/training-events/\(event)/roster", ["person_ids": [UUID().uuidString]], 422),
            ("POST", "/training-events/\(event)/complete", ["attendance": "all"], 400),
            ("PATCH", "/records/settings", ["time_zone": NSNull()], 400),
        ]
    }

    /// Rows of every Records table a write could touch.
    static let tables = ["units", "unit_supervisors", "personnel", "categories", "certification_types", "courses", "training_records",
                         "training_record_versions", "certifications", "certification_versions", "training_events",
                         "training_event_roster", "agency_settings"]

    static func counts(_ world: RecordsWorld) throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for table in tables { counts[table] = try world.api.count(table, agency: world.a.id) }
        return counts
    }

    static func nothingIsWritten(_ world: RecordsWorld) throws {
        let api = world.api, token = world.token(.coordinator), admin = world.token(.agencyAdmin)
        let cases = try cases(world)
        let before = try counts(world)
        for (method, path, body, status) in cases {
            let response = try api.call(method, path, token: path.hasPrefix("/records/") ? admin : token, json: body,
                                        headers: method == "PATCH" ? ["If-Match": "1"] : [:])
            #expect(response.status == status, "\(method) \(path) \(body): \(response.status) \(response.body.prefix(300))")
            #expect(response.errorCode != nil && (response.json?["error"] as? [String: Any])?["request_id"] != nil,
                    "\(method) \(path): the standard error body")
        }
        // Malformed bodies on every write route: invalid UTF-8, broken JSON, not an object, 10 MB.
        let routes = Set(cases.map { "\($0.method) \($0.path)" }).sorted()
        let invalidUTF8: [UInt8] = Array("{\"name\": \"".utf8) + [0xC3, 0x28, 0xFF] + Array("\", \"title\": \"x\"}".utf8)
        let huge = Array("{\"name\": \"".utf8) + [UInt8](repeating: UInt8(ascii: "a"), count: 10_000_000) + Array("\"}".utf8)
        for route in routes {
            let parts = route.split(separator: " ", maxSplits: 1).map(String.init)
            let bearer = parts[1].hasPrefix("/records/") ? admin : token
            let utf8 = try api.bytes(parts[0], parts[1], token: bearer, body: invalidUTF8)
            #expect(utf8.status == 400, "\(route) with invalid UTF-8: \(utf8.status) \(utf8.body.prefix(200))")
            for text in ["{\"name\": ", "[1, 2]", "\"text\"", "null", ""] {
                let response = try api.raw(parts[0], parts[1], token: bearer, body: text, headers: ["If-Match": "1"])
                #expect((400..<500).contains(response.status) && response.errorCode != nil,
                        "\(route) with body \(text.debugDescription): \(response.status) \(response.body.prefix(200))")
            }
            let large = try api.bytes(parts[0], parts[1], token: bearer, body: huge)
            #expect(large.status == 413, "\(route) with 10 MB: \(large.status)")
        }
        #expect(try counts(world) == before, "no bad request wrote anything")
    }
}
