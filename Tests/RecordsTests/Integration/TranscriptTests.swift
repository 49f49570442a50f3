import Foundation
import MusterAuth
import MusterCore
import MusterTestSupport
import Testing

/// The defensible training file through the Gateway: the HTML parses (python's html.parser,
/// which also collects every tag), has no script, names every counting record and the audit
/// checkpoint's hash; the JSON has the same content; only who may read the file gets it, and
/// each download is audited.
@Suite(.serialized) struct TranscriptTests {
    /// Tags, the text of every `td`/`code`, and a parse failure if any, as python's html.parser sees the page.
    static func parse(_ html: String) throws -> [String: Any] {
        let script = """
            import sys, json
            from html.parser import HTMLParser
            class P(HTMLParser):
                def __init__(self):
                    super().__init__(); self.tags = set(); self.text = []
                def handle_starttag(self, tag, attrs): self.tags.add(tag)
                def handle_data(self, data): self.text.append(data)
            p = P(); p.feed(sys.stdin.read()); p.close()
            print(json.dumps({"tags": sorted(p.tags), "text": "".join(p.text)}))
            """
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("transcript-\(UUID().uuidString).html")
        try Data(html.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try Command.run("sh", ["-c", "python3 -c \"$0\" < \"$1\"", script, file.path])
        return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] ?? [:]
    }

    @Test func printableAndJSONTranscriptsWithTheAuditProof() async throws {
        let world = try await RecordsWorld.start()
        defer { world.stop() }
        let api = world.api, officer = world.own[.officer]!
        func record(_ body: [String: Any]) throws -> String {
            let response = try api.call("POST", "/training-records", token: world.setup, json: body)
            #expect(response.status == 201, "\(response.body)")
            return RecordsClient.id(response)
        }
        let range = try record(["person_id": officer, "course_id": world.course, "completed_on": "2024-03-01", "outcome": "passed"])
        let tactics = try record(["person_id": officer, "title": "<b>Tactics</b> & \"more\"", "completed_on": "2024-05-02", "hours": 2.25,
                                  "category_hours": ["firearms": 1.5], "outcome": "completed"])
        let failed = try record(["person_id": officer, "title": "Failed attempt", "completed_on": "2024-04-01", "hours": 1, "outcome": "failed"])
        let old = try record(["person_id": officer, "title": "Academy", "completed_on": "2019-06-01", "hours": 40, "outcome": "completed"])
        let certification = try world.certification(for: officer)
        let policy = try RoleMatrix.policy(world, .own)
        #expect(try api.call("POST", "/policies/\(policy)/versions/1/acknowledge", token: try PolicyTests.reauthenticated(world, .officer)).status == 201)
        let sha = try #require(try api.call("GET", "/policies/\(policy)", token: world.setup).json?["versions"] as? [[String: Any]]).first?["sha256"] as? String
        try PolicyTests.requirePolicy(world, policy: policy, withinDays: 30)
        let schema = "agency_" + world.a.id.replacingOccurrences(of: "-", with: "")
        _ = try Command.psql("""
            INSERT INTO \(schema).waivers (id, person_id, requirement_id, until, reason, created_by)
            SELECT gen_random_uuid(), '\(officer)', id, '2030-01-01', 'Medical leave <documented>', '\(world.a.admin.id)' FROM \(schema).requirements
            """, database: world.platform.databaseName(.records))

        // An admin signs a checkpoint of the agency's chain once the writes above have reached Audit.
        var checkpoint: [String: Any] = [:]
        for _ in 0..<100 where checkpoint["hash"] == nil {
            let signed = try Curl.request("POST", world.platform.url(.gateway) + "/api/v1/audit/checkpoints", headers: ["Authorization": "Bearer \(world.setup)"])
            if signed.status == 201, (signed.json?["seq"] as? Int ?? 0) > 5 { checkpoint = signed.json ?? [:] } else { try await Task.sleep(for: .milliseconds(200)) }
        }
        let hash = try #require(checkpoint["hash"] as? String)

        let page = try api.call("GET", "/personnel/\(officer)/transcript?to=2024-12-31", token: world.token(.coordinator))
        #expect(page.status == 200 && page.headers["content-type"] == "text/html; charset=utf-8", "\(page.body.prefix(300))")
        #expect(page.headers["content-security-policy"]?.contains("default-src 'none'") == true)
        let parsed = try Self.parse(page.body)
        let tags = parsed["tags"] as? [String] ?? [], text = parsed["text"] as? String ?? ""
        #expect(tags.contains("table") && tags.contains("style") && !tags.contains("script") && !tags.contains("b"), "\(tags)")
        for id in [range, tactics, old, certification] { #expect(text.contains(id), "the page names \(id)") }
        #expect(!text.contains(failed), "a failed training does not count")
        #expect(text.contains("<b>Tactics</b> & \"more\""), "the title is text, as typed")
        #expect(text.contains(hash) && text.contains(sha ?? "no sha") && text.contains("Medical leave <documented>") && text.contains("audit verify"))

        let json = try api.call("GET", "/personnel/\(officer)/transcript?from=2024-01-01&format=json", token: world.token(.officer))
        #expect(json.status == 200, "\(json.body.prefix(300))")
        let body = try #require(json.json)
        #expect((body["person"] as? [String: Any])?["id"] as? String == officer && body["from"] as? String == "2024-01-01")
        #expect(Set((body["records"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }) == [range, tactics], "the range leaves the academy out")
        let categories = body["hours_by_category"] as? [[String: Any]] ?? []
        #expect(body["total_hours"] as? Double == 6.25 && categories.count == 1 && categories.first?["code"] as? String == "firearms"
                && categories.first?["hours"] as? Double == 5.5, "the course's 4 h of firearms and 1.5 h: \(categories)")
        #expect((body["certifications"] as? [[String: Any]])?.first?["id"] as? String == certification)
        #expect((body["acknowledgements"] as? [[String: Any]])?.first?["sha256"] as? String == sha)
        #expect((body["waivers"] as? [[String: Any]])?.first?["reason"] as? String == "Medical leave <documented>")
        let compliance = body["compliance"] as? [String: Any]
        #expect(compliance?["person_id"] as? String == officer && (compliance?["requirements"] as? [[String: Any]])?.first?["status"] as? String == "waived")
        let proof = (body["audit_proof"] as? [String: Any])?["checkpoint"] as? [String: Any]
        #expect(proof?["hash"] as? String == hash && proof?["seq"] as? Int == checkpoint["seq"] as? Int
                && proof?["signature"] as? String == checkpoint["signature"] as? String && proof?["kid"] as? String == checkpoint["kid"] as? String)

        #expect(try api.call("GET", "/personnel/\(officer)/transcript", token: world.token(.supervisor)).status == 200, "the officer's unit is supervised")
        #expect(try api.call("GET", "/personnel/\(world.other)/transcript", token: world.token(.officer)).status == 403)
        #expect(try api.call("GET", "/personnel/\(world.other)/transcript", token: world.token(.supervisor)).status == 403)
        #expect(try api.call("GET", "/personnel/\(world.bPerson)/transcript", token: world.token(.auditor)).status == 404)
        #expect(try api.call("GET", "/personnel/\(officer)/transcript?format=pdf", token: world.token(.auditor)).status == 400)
        #expect(try api.call("GET", "/personnel/\(officer)/transcript?from=2024-13-01", token: world.token(.auditor)).status == 400)

        let downloads = try await WorkflowTests.auditEvents(world, "action=personnel.transcript.downloaded&target_type=person&target_id=\(officer)") {
            $0.count >= 3
        }
        #expect(downloads.count == 3, "the coordinator's, the officer's own and the supervisor's downloads")
    }
}
