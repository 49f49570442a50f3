import AuditService
import Foundation
import MusterContracts
import MusterCore
import MusterTestSupport
import Testing

/// Checkpoints, verification, exports and keys over the public API, and the
/// offline check of an export with `Tools/verify_export.py`.
@Suite(.serialized) struct ExportTests {
    @Test func checkpointsVerifyAndExportsCheckOutOffline() async throws {
        let audit = try await AuditFixture.startWithIdentity()
        defer { audit.stop() }
        let a = try await audit.agency(), b = try await audit.agency()
        let agency = AgencyID(string: a.id)!
        _ = try audit.seed(agency, count: 30, actors: [UserID()])

        // A checkpoint on demand, kept "elsewhere".
        let created = try audit.api("/checkpoints", method: "POST", token: a.adminToken)
        #expect(created.status == 201, "\(created.body)")
        let listed = try audit.api("/checkpoints?limit=1", token: a.adminToken)
        let kept = try #require(listed.json?["items"] as? [[String: Any]])
        #expect(kept.count == 1)
        #expect(kept[0]["agency_id"] as? String == a.id)
        let keptJSON = String(decoding: try JSONSerialization.data(withJSONObject: kept), as: UTF8.self)

        // Verification, with and without the kept checkpoints.
        let plain = try audit.api("/verify", token: a.adminToken)
        #expect(plain.status == 200)
        #expect(plain.json?["ok"] as? Bool == true)
        #expect(plain.json?["first_broken_seq"] is NSNull)
        let supplied = try audit.api("/verify", method: "POST", token: a.adminToken, body: #"{"checkpoints":\#(keptJSON)}"#)
        #expect(supplied.json?["ok"] as? Bool == true, "\(supplied.body)")
        #expect((supplied.json?["checkpoints"] as? Int ?? 0) >= 2)
        var forged = kept[0]
        forged["hash"] = String(repeating: "ab", count: 32)
        let forgedBody = String(decoding: try JSONSerialization.data(withJSONObject: ["checkpoints": [forged]]), as: UTF8.self)
        let refused = try audit.api("/verify", method: "POST", token: a.adminToken, body: forgedBody)
        #expect(refused.json?["ok"] as? Bool == false)
        #expect(refused.json?["first_broken_seq"] as? Int == kept[0]["seq"] as? Int)
        let foreign = try audit.api("/verify", method: "POST", token: b.adminToken, body: #"{"checkpoints":\#(keptJSON)}"#)
        #expect(foreign.status == 422, "another agency's checkpoint")

        // Keys: public through the Gateway, internal with a credential only.
        let keys = try Curl.request("GET", audit.platform.url(.gateway) + "/api/v1/audit/keys")
        #expect(keys.status == 200)
        #expect((keys.json?["keys"] as? [[String: Any]])?.first?["crv"] as? String == "Ed25519")
        #expect(try Curl.request("GET", audit.platform.url(.audit) + "/internal/audit-keys").status == 401)
        let credential = try audit.platform.serviceCredential(as: .records, for: .audit)
        #expect(try Curl.request("GET", audit.platform.url(.audit) + "/internal/audit-keys",
                                 headers: ["Authorization": "Bearer \(credential)"]).body == keys.body)
        #expect(try Curl.request("GET", audit.platform.url(.gateway) + "/internal/audit-keys").status == 404)

        // The export, through the Gateway, checked offline.
        let export = try Curl.request("GET", audit.platform.url(.gateway) + "/api/v1/audit/events/export?format=jsonl",
                                      headers: ["Authorization": "Bearer \(a.adminToken)"])
        #expect(export.status == 200)
        #expect(export.headers["content-type"] == "application/x-ndjson")
        #expect(export.headers["audit-checkpoint"] != nil)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("audit-export-\(a.slug)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("export.jsonl"), keysFile = folder.appendingPathComponent("keys.json")
        let keptFile = folder.appendingPathComponent("kept.json")
        try export.body.write(to: file, atomically: true, encoding: .utf8)
        try keys.body.write(to: keysFile, atomically: true, encoding: .utf8)
        try keptJSON.write(to: keptFile, atomically: true, encoding: .utf8)
        let lines = export.body.split(separator: "\n")
        let offline = try Command.run(PythonOracle.python, [PythonOracle.verifyExport, file.path, "--keys", keysFile.path,
                                                            "--checkpoints", keptFile.path])
        #expect(offline.status == 0, "\(offline.stdout) \(offline.stderr)")
        #expect(offline.stdout.contains("\"events\": \(lines.count - 1)"))
        #expect(offline.stdout.contains("\"checkpoints\": 2"))

        // One changed character in one event is found offline, at its seq.
        var tampered = lines.map(String.init)
        let victim = try #require(tampered.firstIndex { $0.contains("record.certification.renewed") })
        tampered[victim] = tampered[victim].replacingOccurrences(of: "record.certification.renewed", with: "record.certification.revoked")
        try tampered.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
        let caught = try Command.run(PythonOracle.python, [PythonOracle.verifyExport, file.path, "--keys", keysFile.path])
        #expect(caught.status == 1)
        let victimSeq = (try JSONSerialization.jsonObject(with: Data(lines[victim].utf8)) as? [String: Any])?.seq ?? 0
        #expect(caught.stdout.contains("\"first_broken_seq\": \(victimSeq)"), "\(caught.stdout)")

        // CSV for people: same events, formula triggers neutralized.
        let csv = try audit.api("/events/export?format=csv", token: a.adminToken)
        #expect(csv.status == 200)
        #expect(csv.body.hasPrefix("seq,id,agency_id,occurred_at"))
        #expect(csv.body.split(separator: "\r\n").count >= 31)
        #expect(try audit.api("/events/export?format=xml", token: a.adminToken).status == 400)

        // Exports and verifications are recorded.
        let recorded = Set(try audit.allEvents("action=audit", token: a.adminToken).map(\.action))
        #expect(recorded.isSuperset(of: ["audit.events.exported", "audit.chain.verified", "audit.checkpoint.created", "audit.checkpoints.read"]))
    }

    @Test func retentionIsAnAdminSettingWithAFloor() async throws {
        let audit = try await AuditFixture.startWithIdentity()
        defer { audit.stop() }
        let a = try await audit.agency()
        let auditor = try await audit.platform.createUser(in: a, roles: [.auditor])
        #expect(try audit.api("/retention", token: auditor.accessToken).json?["retention_years"] as? Int == 7)
        #expect(try audit.api("/retention", method: "PUT", token: auditor.accessToken, body: #"{"retention_years":3}"#).status == 403)
        #expect(try audit.api("/retention", method: "PUT", token: a.adminToken, body: #"{"retention_years":0}"#).status == 422)
        #expect(try audit.api("/retention", method: "PUT", token: a.adminToken, body: #"{"retention_years":"x"}"#).status == 400)
        let changed = try audit.api("/retention", method: "PUT", token: a.adminToken, body: #"{"retention_years":10}"#)
        #expect(changed.json?["retention_years"] as? Int == 10)
        let events = try audit.allEvents("action=audit.retention.changed", token: a.adminToken)
        #expect(events.count == 1)
        let changes = try #require(events.first?["changes"] as? [String: Any])
        #expect((changes["retention_years"] as? [String: Any])?["after"] as? Int == 10)
        #expect((changes["retention_years"] as? [String: Any])?["before"] as? Int == 7)
    }
}
