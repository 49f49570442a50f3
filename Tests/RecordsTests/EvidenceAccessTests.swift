import Foundation
import MusterCore
import MusterTestSupport
import Testing

/// Evidence, expenses, imports and exports through the Gateway: who may call each route (officer,
/// supervisor, coordinator, agency admin, auditor; their own person and another's; another agency's
/// ids), bad input that writes nothing, and imports of 50,000 rows.
@Suite(.serialized) struct EvidenceAccessTests {
    typealias API = ImportExportTests.API

    /// Ids of one agency's file: people, a record each, a certification, an expense, their attachments.
    struct File {
        var ownRecord = "", otherRecord = "", thirdRecord = "", certification = "", expense = ""
        var ownAttachment = "", otherAttachment = "", thirdAttachment = "", certificationAttachment = "", expenseAttachment = ""
    }

    static let pdf = Array("%PDF-1.7\nevidence".utf8)

    /// The routes whose role table this suite asserts (the role matrix counts them as covered).
    static let routes: Set<String> = [
        "GET /api/v1/training-records/{id}/attachments/{aid}", "PUT /api/v1/training-records/{id}/attachments",
        "GET /api/v1/certifications/{id}/attachments/{aid}", "PUT /api/v1/certifications/{id}/attachments",
        "GET /api/v1/expenses/{id}/attachments/{aid}", "PUT /api/v1/expenses/{id}/attachments",
        "POST /api/v1/expenses", "GET /api/v1/expenses", "GET /api/v1/expenses/summary",
        "POST /api/v1/imports/personnel", "POST /api/v1/imports/training-records",
        "GET /api/v1/personnel.csv", "GET /api/v1/training-records.csv", "GET /api/v1/expenses.csv",
    ]

    @Test func everyRouteAnswersEachRoleExactly() async throws {
        let platform = try await Platform.start()
        defer { platform.stop() }
        let agency = try await platform.createAgency(waitUntilActive: true)
        let elsewhere = try await platform.createAgency(waitUntilActive: true)
        let gateway = platform.url(.gateway)
        let admin = API(base: gateway, token: agency.adminToken)
        let officer = try await platform.createUser(in: agency, roles: [.officer])
        let supervisor = try await platform.createUser(in: agency, roles: [.supervisor])
        let coordinator = try await platform.createUser(in: agency, roles: [.coordinator])
        let auditor = try await platform.createUser(in: agency, roles: [.auditor])
        let unit = try #require(try admin.json("POST", "/units", ["name": "Patrol"]).json?["id"] as? String)
        #expect(try admin.call("PUT", "/units/\(unit)/supervisors/\(supervisor.id)").status == 204)
        let file = try Self.file(admin, officer: officer.id, unit: unit)
        let foreign = try Self.file(API(base: gateway, token: elsewhere.adminToken), officer: nil, unit: nil)

        let roles: [(name: String, api: API)] = [
            ("officer", API(base: gateway, token: officer.accessToken)), ("supervisor", API(base: gateway, token: supervisor.accessToken)),
            ("coordinator", API(base: gateway, token: coordinator.accessToken)), ("agency_admin", admin),
            ("auditor", API(base: gateway, token: auditor.accessToken)),
        ]
        func expect(_ expected: [Int], _ label: String, _ call: (API) throws -> CurlResponse) throws {
            for ((name, api), status) in zip(roles, expected) {
                let response = try call(api)
                #expect(response.status == status, "\(label) as \(name): \(response.status) \(response.body.prefix(300))")
            }
        }
        //                                        officer supervisor coordinator admin auditor
        try expect([200, 403, 200, 200, 200], "own person's attachment") { try $0.call("GET", "/training-records/\(file.ownRecord)/attachments/\(file.ownAttachment)") }
        try expect([403, 200, 200, 200, 200], "supervised person's attachment") { try $0.call("GET", "/training-records/\(file.otherRecord)/attachments/\(file.otherAttachment)") }
        try expect([403, 403, 200, 200, 200], "unsupervised person's attachment") { try $0.call("GET", "/training-records/\(file.thirdRecord)/attachments/\(file.thirdAttachment)") }
        try expect([403, 200, 200, 200, 200], "certification attachment") {
            try $0.call("GET", "/certifications/\(file.certification)/attachments/\(file.certificationAttachment)")
        }
        try expect([403, 200, 200, 200, 200], "expense receipt") { try $0.call("GET", "/expenses/\(file.expense)/attachments/\(file.expenseAttachment)") }
        try expect([403, 403, 201, 201, 403], "upload to a record") { try $0.upload("/training-records/\(file.otherRecord)/attachments", Self.pdf, type: "application/pdf") }
        try expect([403, 403, 201, 201, 403], "upload to own record") { try $0.upload("/training-records/\(file.ownRecord)/attachments", Self.pdf, type: "application/pdf") }
        let submission = try #require(try roles[0].api.json("POST", "/me/training-records",
                                                            ["title": "Outside course", "completed_on": "2025-03-01", "hours": 2]).json?["id"] as? String)
        try expect([201, 403, 201, 201, 403], "upload to own pending submission") {
            try $0.upload("/training-records/\(submission)/attachments", Self.pdf, type: "application/pdf")
        }
        try expect([403, 403, 201, 201, 403], "upload to a certification") { try $0.upload("/certifications/\(file.certification)/attachments", Self.pdf, type: "application/pdf") }
        try expect([403, 403, 201, 201, 403], "upload a receipt") { try $0.upload("/expenses/\(file.expense)/attachments", Self.pdf, type: "application/pdf") }
        try expect([403, 403, 201, 201, 403], "POST /expenses") {
            try $0.json("POST", "/expenses", ["incurred_on": "2025-01-05", "amount_cents": 100, "category": "travel", "funding_source": "budget"])
        }
        for path in ["/expenses", "/expenses/summary", "/personnel.csv", "/training-records.csv", "/expenses.csv"] {
            try expect([403, 403, 200, 200, 200], "GET \(path)") { try $0.call("GET", path) }
        }
        var badge = 0
        try expect([403, 403, 201, 201, 403], "POST /imports/personnel") { api in
            badge += 1
            return try api.call("POST", "/imports/personnel", body: "badge_number,first_name,last_name,hire_date\nI-\(badge),Ida,Imported,2020-01-01\n",
                                headers: ["Content-Type": "text/csv"])
        }
        try expect([403, 403, 201, 201, 403], "POST /imports/training-records") {
            try $0.call("POST", "/imports/training-records", body: "badge_number,title,completed_on,hours,outcome\nB-3,Range,2025-01-02,2,passed\n",
                        headers: ["Content-Type": "text/csv"])
        }
        // Another agency's ids are unknown here, whoever asks.
        try expect([404, 404, 404, 404, 404], "another agency's attachment") {
            try $0.call("GET", "/training-records/\(foreign.otherRecord)/attachments/\(foreign.otherAttachment)")
        }
        try expect([404, 404, 404, 404, 404], "another agency's receipt") { try $0.call("GET", "/expenses/\(foreign.expense)/attachments/\(foreign.expenseAttachment)") }
        try expect([404, 404, 404, 404, 404], "another agency's certification attachment") {
            try $0.call("GET", "/certifications/\(foreign.certification)/attachments/\(foreign.certificationAttachment)")
        }
        #expect(try admin.upload("/training-records/\(foreign.otherRecord)/attachments", Self.pdf, type: "application/pdf").status == 404)
        #expect(try admin.upload("/certifications/\(foreign.certification)/attachments", Self.pdf, type: "application/pdf").status == 404)
        #expect(try admin.upload("/expenses/\(foreign.expense)/attachments", Self.pdf, type: "application/pdf").status == 404)
        #expect(try admin.call("GET", "/training-records/\(file.otherRecord)/attachments/\(foreign.otherAttachment)").status == 404)
    }

    /// Bad bodies on the expense and import routes: a clear 4xx, and nothing written.
    @Test func badInputWritesNothing() async throws {
        let platform = try await Platform.start()
        defer { platform.stop() }
        let agency = try await platform.createAgency(waitUntilActive: true)
        let api = API(base: platform.url(.gateway), token: agency.adminToken)
        let schema = Self.schema(agency)
        let count = { (table: String) throws -> String in try Command.psql("SELECT count(*) FROM \(schema).\(table)", database: platform.databaseName(.records)) }
        let valid: [String: Any] = ["incurred_on": "2025-01-05", "amount_cents": 100, "category": "travel", "funding_source": "budget"]
        let cases: [(String, [String: Any], Int)] = [
            ("missing incurred_on", valid.filter { $0.key != "incurred_on" }, 400), ("missing amount_cents", valid.filter { $0.key != "amount_cents" }, 400),
            ("amount_cents as text", valid.merging(["amount_cents": "100"]) { $1 }, 400), ("amount_cents 1.5", valid.merging(["amount_cents": 1.5]) { $1 }, 400),
            ("negative amount_cents", valid.merging(["amount_cents": -5]) { $1 }, 422), ("category as a number", valid.merging(["category": 7]) { $1 }, 400),
            ("2025-02-30", valid.merging(["incurred_on": "2025-02-30"]) { $1 }, 422), ("funding_source as a list", valid.merging(["funding_source": ["grant"]]) { $1 }, 400),
            ("person_id not an id", valid.merging(["person_id": "nobody"]) { $1 }, 422), ("unknown field", valid.merging(["total": 1]) { $1 }, 400),
        ]
        for (label, body, status) in cases {
            let response = try api.json("POST", "/expenses", body)
            #expect(response.status == status, "\(label): \(response.body)")
            #expect((response.json?["error"] as? [String: Any])?["request_id"] as? String != nil, "\(label)")
        }
        #expect(try api.raw("POST", "/expenses", Array("{\"category\":\"".utf8) + [0xC3, 0x28] + Array("\"}".utf8), type: "application/json").status == 400)
        let huge = "{\"notes\":\"" + String(repeating: "x", count: 10_000_000) + "\"}"
        #expect(try api.raw("POST", "/expenses", Array(huge.utf8), type: "application/json").status == 413)
        #expect(try count("expenses") == "0")
        let people = "badge_number,first_name,last_name,hire_date\nB-1,Ann,Archer,2020-01-01\n"
        #expect(try api.raw("POST", "/imports/personnel", Array(people.utf8) + [0xFF, 0xFE] + Array(",x,y,2020-01-01\n".utf8), type: "text/csv").status == 422)
        #expect(try api.call("POST", "/imports/personnel", body: "", headers: ["Content-Type": "text/csv"]).status == 422)
        #expect(try count("personnel") == "0")
    }

    /// 50,000 rows through the Gateway in one request; then 50,000 whose row 37,000 is bad: 422 naming it, nothing written.
    @Test func fiftyThousandRowImports() async throws {
        let platform = try await Platform.start()
        defer { platform.stop() }
        let agency = try await platform.createAgency(waitUntilActive: true)
        let api = API(base: platform.url(.gateway), token: agency.adminToken)
        let count = { () throws -> String in
            try Command.psql("SELECT count(*) FROM \(Self.schema(agency)).training_records", database: platform.databaseName(.records))
        }
        let roster = "badge_number,first_name,last_name,hire_date\n" + (0..<100).map { "P-\($0),First\($0),Last\($0),2019-05-01\n" }.joined()
        #expect(try api.call("POST", "/imports/personnel", body: roster, headers: ["Content-Type": "text/csv"]).status == 201)
        var lines = ["badge_number,title,completed_on,hours,category_hours,outcome,score"]
        for n in 0..<50_000 { lines.append("P-\(n % 100),\"Patrol, module \(n % 40)\",2025-\(String(format: "%02d", n % 12 + 1))-14,\(["1", "2.5", "0.75"][n % 3]),,completed,") }
        let slow = ["--max-time", "300"]
        let good = try api.call("POST", "/imports/training-records", body: lines.joined(separator: "\r\n") + "\r\n", headers: ["Content-Type": "text/csv"], extra: slow)
        #expect(good.status == 201 && good.json?["imported"] as? Int == 50_000, "\(good.body.prefix(500))")
        #expect(try count() == "50000")
        lines[36_999] = "P-1,Bad row,2025-02-30,2,,completed,"  // lines[0] is the header, row 1
        let bad = try api.call("POST", "/imports/training-records", body: lines.joined(separator: "\r\n") + "\r\n", headers: ["Content-Type": "text/csv"], extra: slow)
        let error = bad.json?["error"] as? [String: Any]
        #expect(bad.status == 422 && error?["code"] as? String == "invalid_rows", "\(bad.body.prefix(500))")
        let rows = error?["rows"] as? [[String: Any]] ?? []
        #expect(rows.count == 1 && rows.first?["row"] as? Int == 37_000 && rows.first?["field"] as? String == "completed_on", "\(rows)")
        #expect(try count() == "50000")
    }

    /// A unit's supervised person, the officer's own, a third outside the unit, each with a record and its
    /// attachment; a certification and an expense of the supervised one with theirs.
    static func file(_ admin: API, officer: String?, unit: String?) throws -> File {
        func created(_ response: CurlResponse) throws -> String {
            try #require(response.status == 201 ? response.json?["id"] as? String : nil, "\(response.status) \(response.body)")
        }
        func person(_ badge: String, _ extra: [String: Any]) throws -> String {
            try created(try admin.json("POST", "/personnel", ["badge_number": badge, "first_name": "F\(badge)", "last_name": "L\(badge)",
                                                              "hire_date": "2020-01-02"].merging(extra) { $1 }))
        }
        func record(_ person: String) throws -> String {
            try created(try admin.json("POST", "/training-records", ["person_id": person, "title": "Range day", "completed_on": "2025-01-02",
                                                                     "hours": 2, "outcome": "passed"]))
        }
        func attach(_ path: String) throws -> String { try created(try admin.upload(path + "/attachments", pdf, type: "application/pdf")) }
        let other = try person("B-2", unit.map { ["unit_id": $0] } ?? [:])
        let third = try person("B-3", [:])
        let own = try officer.map { try person("B-1", ["user_id": $0]) }
        var file = File()
        file.otherRecord = try record(other)
        file.thirdRecord = try record(third)
        if let own { file.ownRecord = try record(own) }
        let type = try created(try admin.json("POST", "/certification-types", ["code": "cpr", "name": "CPR", "validity_months": 24]))
        file.certification = try created(try admin.json("POST", "/certifications", ["person_id": other, "type_id": type, "issued_on": "2025-01-02"]))
        file.expense = try created(try admin.json("POST", "/expenses", ["incurred_on": "2025-01-05", "amount_cents": 4_200, "category": "ammunition",
                                                                         "funding_source": "grant", "person_id": other]))
        file.otherAttachment = try attach("/training-records/\(file.otherRecord)")
        file.thirdAttachment = try attach("/training-records/\(file.thirdRecord)")
        if own != nil { file.ownAttachment = try attach("/training-records/\(file.ownRecord)") }
        file.certificationAttachment = try attach("/certifications/\(file.certification)")
        file.expenseAttachment = try attach("/expenses/\(file.expense)")
        return file
    }

    static func schema(_ agency: AgencyFixture) -> String { "agency_" + agency.id.replacingOccurrences(of: "-", with: "") }
}

extension ImportExportTests.API {
    /// `bytes` exactly as given (invalid UTF-8, a huge body), from a file.
    func raw(_ method: String, _ path: String, _ bytes: [UInt8], type: String) throws -> CurlResponse {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("raw-\(UUID().uuidString)")
        try Data(bytes).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        return try call(method, path, headers: ["Content-Type": type], extra: ["--data-binary", "@\(file.path)"])
    }
}
