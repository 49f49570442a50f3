import Foundation
import MusterAuth
import MusterCore
import MusterTestSupport
import Testing

/// Policies through the Gateway: a document sealed at rest and read back byte for byte
/// (SHA-256 checked by python's hashlib), bad uploads that write nothing, due dates from a
/// `policy` requirement (checked with Foundation's Calendar), acknowledgement bound to the
/// version's hash and refused without a fresh `auth_time`, idempotent, then visible in the
/// acknowledgements and gone from the outstanding list until the next version.
@Suite(.serialized) struct PolicyTests {
    static let markdown = Array("# Use of force\n\nOfficers use only the force that is *objectively reasonable*. Émile's rule.\n".utf8)

    static func sha256(_ bytes: [UInt8]) throws -> String {
        let result = try Command.run("python3", ["-c", "import sys, hashlib; print(hashlib.sha256(bytes.fromhex(sys.argv[1])).hexdigest())",
                                                 bytes.map { String(format: "%02x", $0) }.joined()])
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// `date` + `days` by the Gregorian calendar in UTC.
    static func adding(_ days: Int, to date: String) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let formatter = DateFormatter()
        formatter.calendar = calendar
        formatter.timeZone = calendar.timeZone
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: calendar.date(byAdding: .day, value: days, to: formatter.date(from: date)!)!)
    }

    /// A `policy` requirement as the compliance schema keeps it (what `POST /requirements` writes).
    static func requirePolicy(_ world: RecordsWorld, policy: String, withinDays: Int, unit: String? = nil) throws {
        let schema = "agency_" + world.a.id.replacingOccurrences(of: "-", with: "")
        let id = UUID().uuidString.lowercased()
        _ = try Command.psql("""
            INSERT INTO \(schema).requirements (id, code, kind, created_by) VALUES ('\(id)', 'ack_\(id.prefix(8).filter(\.isLetter))x', 'policy', '\(world.a.admin.id)');
            INSERT INTO \(schema).requirement_versions (requirement_id, version, name, params, applies_unit_ids, effective_from, due_soon_days, created_by)
            VALUES ('\(id)', 1, 'Read the policy', '{"policy_id":"\(policy)","within_days":\(withinDays)}', \(unit.map { "ARRAY['\($0)']::uuid[]" } ?? "NULL"),
                    '2000-01-01', 30, '\(world.a.admin.id)');
            """, database: world.platform.databaseName(.records))
    }

    /// A fresh access token of `role`'s session, from `POST /api/v1/auth/reauthenticate` through the Gateway.
    static func reauthenticated(_ world: RecordsWorld, _ role: Role) throws -> String {
        let user = world.users[role]!
        let response = try world.api.raw("POST", "/auth/reauthenticate", token: user.accessToken, body: "{\"password\":\"\(user.password)\"}")
        guard let token = response.json?["access_token"] as? String else { throw SetupError(description: "reauthenticate: \(response.status) \(response.body)") }
        return token
    }

    @Test func publishReadAcknowledgeAndFollowUp() async throws {
        let world = try await RecordsWorld.start()
        defer { world.stop() }
        let api = world.api, coordinator = world.token(.coordinator), officer = world.token(.officer)
        let upload = ImportExportTests.API(base: world.platform.url(.gateway), token: coordinator)

        let created = try api.call("POST", "/policies", token: coordinator, json: ["code": "use_of_force", "title": "Use of force"])
        #expect(created.status == 201, "\(created.body)")
        let policy = RecordsClient.id(created)
        #expect(try api.call("POST", "/policies", token: coordinator, json: ["code": "use_of_force", "title": "Again"]).errorCode == "code_taken")
        #expect(try api.call("POST", "/policies", token: coordinator, json: ["code": "Use Of Force", "title": "x"]).status == 422)
        #expect(try api.call("POST", "/policies", token: coordinator, json: ["code": "ok_code"]).status == 400)

        // Bad documents: a clear 4xx each, and no version written.
        let versions = "/policies/\(policy)/versions"
        #expect(try upload.raw("POST", versions, Self.markdown, type: "text/plain").errorCode == "unsupported_media_type")
        #expect(try upload.raw("POST", versions, Self.markdown, type: "application/pdf").errorCode == "content_type_mismatch")
        #expect(try upload.raw("POST", versions, [0x23, 0xC3, 0x28], type: "text/markdown").errorCode == "content_type_mismatch")
        #expect(try upload.raw("POST", versions + "?published_on=2024-02-30", Self.markdown, type: "text/markdown").status == 400)
        #expect(try upload.raw("POST", versions, [], type: "text/markdown").status == 400)
        #expect(try upload.raw("POST", versions, Array(repeating: UInt8(ascii: "a"), count: (10 << 20) + 1), type: "text/markdown").status == 413)
        #expect(try api.count("policy_versions", agency: world.a.id) == 0)

        let published = try upload.raw("POST", versions + "?published_on=2024-01-10", Self.markdown, type: "text/markdown; charset=utf-8")
        #expect(published.status == 201, "\(published.body)")
        let sha = try Self.sha256(Self.markdown)
        #expect(published.json?["version"] as? Int == 1 && published.json?["sha256"] as? String == sha
                && published.json?["published_on"] as? String == "2024-01-10", "\(published.body)")
        let schema = "agency_" + world.a.id.replacingOccurrences(of: "-", with: "")
        #expect(try Command.psql("SELECT count(*) FROM \(schema).policy_versions WHERE position('objectively'::bytea in sealed) = 0 AND size = \(Self.markdown.count)",
                                 database: world.platform.databaseName(.records)) == "1", "the document is sealed at rest")

        let document = try Curl.request("GET", world.platform.url(.gateway) + "/api/v1/policies/\(policy)/versions/1/document",
                                        headers: ["Authorization": "Bearer \(officer)"])
        #expect(document.status == 200 && Array(document.body.utf8) == Self.markdown)
        #expect(document.headers["content-type"] == "text/markdown; charset=utf-8" && document.headers["x-content-type-options"] == "nosniff")
        #expect(try api.call("GET", "/policies/\(policy)/versions/2/document", token: officer).status == 404)
        let listed = try api.call("GET", "/policies", token: officer).items
        #expect(listed.count == 1 && (listed[0]["versions"] as? [[String: Any]])?.first?["sha256"] as? String == sha)

        // Due: 30 days from the later of publication and hire (2020-01-15): overdue by now.
        try Self.requirePolicy(world, policy: policy, withinDays: 30)
        let mine = try api.call("GET", "/me/policies", token: officer).items
        #expect(mine.count == 1 && mine[0]["due_on"] as? String == Self.adding(30, to: "2024-01-10") && mine[0]["status"] as? String == "overdue",
                "\(mine)")
        #expect(try api.call("GET", "/me/policies", token: world.setup).items.isEmpty, "a login without a person owes nothing")

        // An old authentication is refused; a re-authentication through the Gateway opens the window.
        let acknowledge = "/policies/\(policy)/versions/1/acknowledge"
        let identity = world.platform.databaseName(.identity)
        _ = try Command.psql("UPDATE \(schema).sessions SET authenticated_at = now() - interval '10 minutes' WHERE user_id = '\(world.users[.officer]!.id)'",
                             database: identity)
        let refreshed = try api.call("POST", "/auth/refresh", token: nil, json: ["refresh_token": world.users[.officer]!.session.refreshToken])
        let stale = try #require(refreshed.json?["access_token"] as? String, "\(refreshed.body)")
        let refused = try api.call("POST", acknowledge, token: stale)
        #expect(refused.status == 401 && refused.errorCode == "reauthentication_required", "\(refused.body)")
        #expect(try api.count("policy_acknowledgements", agency: world.a.id) == 0)
        let fresh = try api.raw("POST", "/auth/reauthenticate", token: stale, body: "{\"password\":\"\(world.users[.officer]!.password)\"}")
        let freshToken = try #require(fresh.json?["access_token"] as? String, "\(fresh.body)")
        let first = try api.call("POST", acknowledge, token: freshToken)
        #expect(first.status == 201 && first.json?["sha256"] as? String == sha && first.json?["person_id"] as? String == world.own[.officer]!
                && (first.json?["client_address"] as? String)?.isEmpty == false, "\(first.body)")
        let again = try api.call("POST", acknowledge, token: freshToken)
        #expect(again.status == 200 && again.json?["acknowledged_at"] as? String == first.json?["acknowledged_at"] as? String)
        #expect(try api.count("policy_acknowledgements", agency: world.a.id) == 1)
        #expect(try api.call("POST", acknowledge, token: Self.reauthenticated(world, .agencyAdmin)).status == 201, "the admin has a person too")
        #expect(try api.call("GET", "/me/policies", token: freshToken).items.first?["status"] as? String == "met")

        let acknowledged = try api.call("GET", "/policies/\(policy)/acknowledgements?version=1", token: world.token(.auditor)).items
        #expect(Set(acknowledged.compactMap { $0["person_id"] as? String }) == [world.own[.officer]!, world.own[.agencyAdmin]!])
        #expect(acknowledged.allSatisfy { $0["sha256"] as? String == sha })
        #expect(try api.call("GET", "/policies/\(policy)/acknowledgements?version=2", token: coordinator).items.isEmpty)
        let outstanding = try api.call("GET", "/policies/\(policy)/outstanding", token: coordinator).items
        let owing = Set(outstanding.compactMap { $0["person_id"] as? String })
        #expect(owing == Set([world.other, world.own[.supervisor]!, world.own[.coordinator]!, world.own[.auditor]!]), "\(outstanding)")
        let olga = outstanding.first { $0["person_id"] as? String == world.other }
        #expect(olga?["due_on"] as? String == Self.adding(30, to: "2024-01-10") && olga?["status"] as? String == "overdue")
        let supervised = try api.call("GET", "/policies/\(policy)/outstanding", token: world.token(.supervisor)).items
        #expect(supervised.compactMap { $0["person_id"] as? String } == [world.own[.supervisor]!], "a supervisor sees their units only")

        // A new version is owed again by everyone; the old acknowledgement stays.
        let second = try upload.raw("POST", versions, Array("# Use of force, revised\n".utf8), type: "text/markdown")
        #expect(second.status == 201 && second.json?["version"] as? Int == 2)
        let afterRevision = try api.call("GET", "/policies/\(policy)/outstanding?limit=2", token: coordinator)
        #expect(afterRevision.items.count == 2 && afterRevision.json?["next_cursor"] is String)
        let rest = try api.call("GET", "/policies/\(policy)/outstanding?limit=200&cursor=\(afterRevision.json?["next_cursor"] as? String ?? "")",
                                token: coordinator).items
        #expect(Set((afterRevision.items + rest).compactMap { $0["person_id"] as? String }).count == 6)
        #expect(try api.call("GET", "/me/policies", token: freshToken).items.first?["version"] as? Int == 2)

        let reads = try await WorkflowTests.auditEvents(world, "action=policy.document.read&target_type=policy&target_id=\(policy)") { !$0.isEmpty }
        #expect((reads.first?["actor"] as? [String: Any])?["user_id"] as? String == world.users[.officer]!.id)
        let acks = try await WorkflowTests.auditEvents(world, "action=policy.acknowledged&target_type=policy&target_id=\(policy)") { $0.count == 2 }
        #expect(acks.count == 2, "one event per acknowledgement, none for the repeat")
    }
}
