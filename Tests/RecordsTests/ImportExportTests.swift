import Foundation
import MusterTestSupport
import Testing

/// Evidence, expenses, imports and exports against a real platform (Records over its own PostgreSQL database).
@Suite(.serialized) struct ImportExportTests {
    struct API {
        let base: String
        let token: String

        func call(_ method: String, _ path: String, body: String? = nil, headers: [String: String] = [:], extra: [String] = []) throws -> CurlResponse {
            try Curl.request(method, base + "/api/v1" + path, headers: headers.merging(["Authorization": "Bearer \(token)"]) { $1 },
                             body: body, extra: extra)
        }

        func json(_ method: String, _ path: String, _ object: [String: Any]) throws -> CurlResponse {
            let body = String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
            return try call(method, path, body: body, headers: ["Content-Type": "application/json"])
        }

        /// Uploads `bytes` from a file (curl sends them unchanged).
        func upload(_ path: String, _ bytes: [UInt8], type: String, name: String? = nil) throws -> CurlResponse {
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("upload-\(UUID().uuidString)")
            try Data(bytes).write(to: file)
            defer { try? FileManager.default.removeItem(at: file) }
            var headers = ["Content-Type": type]
            if let name { headers["Content-Disposition"] = "attachment; filename=\"\(name)\"" }
            return try call("PUT", path, headers: headers, extra: ["--data-binary", "@\(file.path)"])
        }
    }

    @Test func evidenceImportsAndExportsThroughRecords() async throws {
        let platform = try await Platform.start()
        defer { platform.stop() }
        let agency = try await platform.createAgency(waitUntilActive: true)
        let api = API(base: platform.url(.records), token: agency.adminToken)
        let sql = { (text: String) throws -> String in try Command.psql(text, database: platform.databaseName(.records)) }

        #expect(try api.json("POST", "/categories", ["code": "firearms", "name": "Firearms"]).status == 201)
        let person = try api.json("POST", "/personnel", ["badge_number": "B-1", "first_name": "Ann", "last_name": "Archer", "hire_date": "2020-01-02"])
        #expect(person.status == 201, "\(person.body)")
        let personID = try #require(person.json?["id"] as? String)

        // Import: quoted fields, an embedded newline, a BOM and CRLF; then a file with one bad row writes nothing.
        let csv = "\u{FEFF}badge_number,course_code,title,completed_on,hours,category_hours,outcome,score\r\n"
            + "B-1,,\"Range day, \"\"night\"\"\nsession\",2025-01-02,2.5,firearms:2,passed,97.5\r\n"
            + "B-1,,\"=HYPERLINK(\"\"x\"\")\",2025-01-03,1,,completed,\r\n"
        let imported = try api.call("POST", "/imports/training-records", body: csv, headers: ["Content-Type": "text/csv", "Idempotency-Key": "imp-1"])
        #expect(imported.status == 201 && imported.json?["imported"] as? Int == 2, "\(imported.body)")
        let replay = try api.call("POST", "/imports/training-records", body: csv, headers: ["Content-Type": "text/csv", "Idempotency-Key": "imp-1"])
        #expect(replay.status == 201 && replay.headers["idempotent-replayed"] == "true")
        #expect(try sql("SELECT count(*) FROM \(schema(agency)).training_records") == "2")
        let bad = try api.call("POST", "/imports/training-records", body: csv + "B-9,,x,2025-02-30,0.1,,passed,\r\n", headers: ["Content-Type": "text/csv"])
        #expect(bad.status == 422 && (bad.json?["error"] as? [String: Any])?["code"] as? String == "invalid_rows")
        let rows = ((bad.json?["error"] as? [String: Any])?["rows"] as? [[String: Any]]) ?? []
        #expect(rows.map { $0["row"] as? Int } == [4, 4, 4] && rows.map { $0["field"] as? String } == ["badge_number", "completed_on", "hours"])
        #expect(try sql("SELECT count(*) FROM \(schema(agency)).training_records") == "2")
        #expect(try api.call("POST", "/imports/training-records", body: csv, headers: ["Content-Type": "application/json"]).status == 415)

        // Evidence: each type, a mismatch, one byte over 10 MiB, sealed at rest, the original bytes back.
        let record = try sql("SELECT id FROM \(schema(agency)).training_records ORDER BY completed_on LIMIT 1")
        let marker = Array("PLAINTEXT-MARKER-\(UUID().uuidString)".utf8)
        let pdf = Array("%PDF-1.7\n".utf8) + marker
        let stored = try api.upload("/training-records/\(record)/attachments", pdf, type: "application/pdf", name: "card.pdf")
        #expect(stored.status == 201 && stored.json?["file_name"] as? String == "card.pdf" && stored.json?["size"] as? Int == pdf.count, "\(stored.body)")
        #expect(try api.upload("/training-records/\(record)/attachments", [0xFF, 0xD8, 0xFF, 0xE0] + marker, type: "image/jpeg").status == 201)
        #expect(try api.upload("/training-records/\(record)/attachments", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + marker, type: "image/png").status == 201)
        #expect(try api.upload("/training-records/\(record)/attachments", pdf, type: "image/png").status == 415)
        #expect(try api.upload("/training-records/\(record)/attachments", Array("%PDF-".utf8) + [UInt8](repeating: 0x20, count: 10 << 20 - 4), type: "application/pdf").status == 413)
        let hex = marker.map { String(format: "%02x", $0) }.joined()
        #expect(try sql("SELECT count(*) FROM \(schema(agency)).attachments") == "3")
        #expect(try sql("SELECT count(*) FROM \(schema(agency)).attachments WHERE position('\\x\(hex)'::bytea IN sealed) > 0") == "0")
        let id = try #require(stored.json?["id"] as? String)
        let download = try api.call("GET", "/training-records/\(record)/attachments/\(id)")
        #expect(download.status == 200 && download.body == String(decoding: pdf, as: UTF8.self))
        #expect(download.headers["x-content-type-options"] == "nosniff" && download.headers["content-disposition"]?.hasPrefix("attachment;") == true)
        #expect(try api.call("GET", "/training-records/\(record)/attachments/\(UUID())").status == 404)

        // Expenses and their summary.
        let expense = try api.json("POST", "/expenses", ["incurred_on": "2025-01-05", "amount_cents": 12_500, "category": "ammunition",
                                                         "funding_source": "grant", "person_id": personID])
        #expect(expense.status == 201 && expense.json?["currency"] as? String == "USD", "\(expense.body)")
        #expect(try api.json("POST", "/expenses", ["incurred_on": "2025-01-05", "amount_cents": 0, "category": "x", "funding_source": "grant"]).status == 422)
        #expect(try api.json("POST", "/expenses", ["incurred_on": "2025-01-05", "amount_cents": 5, "category": "x", "funding_source": "lottery"]).status != 201)
        #expect(try api.json("POST", "/expenses", ["incurred_on": "2025-01-05", "amount_cents": 5, "category": "x", "funding_source": "grant", "currency": "XXY"]).status == 422)
        let summary = try api.call("GET", "/expenses/summary?from=2025-01-01&to=2025-12-31")
        #expect((summary.json?["by_funding_source"] as? [[String: Any]])?.first?["amount_cents"] as? Int == 12_500, "\(summary.body)")

        // Export: formula escaping, and Python's csv module reads it back.
        let export = try api.call("GET", "/training-records.csv?from=2025-01-01&to=2025-12-31")
        #expect(export.status == 200 && export.headers["content-type"]?.hasPrefix("text/csv") == true)
        let script = "import csv, io, json, sys\nprint(json.dumps(list(csv.reader(io.StringIO(sys.stdin.buffer.read().decode('utf-8'), newline='')))))"
        let parsed = try Command.run("python3", ["-c", script], input: export.body)
        let table = try #require(try JSONSerialization.jsonObject(with: Data(parsed.stdout.utf8)) as? [[String]])
        #expect(table.count == 3 && table[0].first == "id")
        #expect(table[1][6] == "Range day, \"night\"\nsession" && table[1][8] == "2.5" && table[1][9] == "firearms:2")
        #expect(table[2][6] == "'=HYPERLINK(\"x\")")
        #expect(try api.call("GET", "/expenses.csv").body.contains("ammunition"))
        #expect(try api.call("GET", "/personnel.csv").body.contains("B-1"))
    }

    private func schema(_ agency: AgencyFixture) -> String { "agency_" + agency.id.replacingOccurrences(of: "-", with: "") }
}
