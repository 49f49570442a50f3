import Foundation
import MusterContracts
import MusterCore
import MusterTestSupport
import NotifyService
import Testing

/// Agency admins' templates, settings and delivery log, with real tokens from Identity.
@Suite(.serialized) struct AdminRoutesTests {
    struct Fixture {
        let notify: NotifyPlatform
        let agency: AgencyFixture
        let agencyID: AgencyID

        var api: String { notify.url + "/api/v1/notify" }

        func call(_ method: String, _ path: String, token: String? = nil, body: String? = nil) throws -> CurlResponse {
            try Curl.request(method, api + path, headers: ["Content-Type": "application/json",
                                                          "Authorization": "Bearer \(token ?? agency.adminToken)"], body: body)
        }
    }

    /// Identity and Notify; the agency provisioned in Notify the way Identity's provisioning does it.
    static func start() async throws -> Fixture {
        let notify = try await NotifyPlatform.start(smtp: nil, services: [.identity, .notify])
        let agency = try await notify.platform.createAgency()
        let id = try #require(AgencyID(string: agency.id))
        try notify.provision(id, name: "Agency \(agency.slug)", slug: agency.slug)
        return Fixture(notify: notify, agency: agency, agencyID: id)
    }

    @Test func adminsOverridePreviewAndResetTemplates() async throws {
        let fixture = try await Self.start()
        defer { fixture.notify.stop() }

        let list = try fixture.call("GET", "/templates")
        #expect(list.status == 200)
        let names = (list.json?["items"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
        #expect(names.map(Set.init) == Set(TemplateName.allCases.map(\.rawValue)) && names?.count == TemplateName.allCases.count)
        #expect(list.json?.keys.contains("next_cursor") == true)

        let reset = try fixture.call("GET", "/templates/password_reset")
        #expect(reset.status == 200)
        #expect(reset.json?["overridden"] as? Bool == false)
        #expect(reset.json?["subject"] as? String == "Reset your Muster password")
        #expect((reset.json?["required_placeholders"] as? [String]) == ["reset_link"])
        #expect(((reset.json?["placeholders"] as? [[String: Any]]) ?? []).contains { $0["name"] as? String == "reset_link" && $0["kind"] as? String == "link" })

        let unknown = try fixture.call("PUT", "/templates/password_reset", body: #"{"subject":"Hi {{first_name}}","body":"{{reset_link}}"}"#)
        #expect(unknown.status == 422)
        #expect((unknown.json?["error"] as? [String: Any])?["code"] as? String == "invalid_template")
        #expect(((unknown.json?["error"] as? [String: Any])?["message"] as? String)?.contains("{{first_name}}") == true)
        let noLink = try fixture.call("PUT", "/templates/password_reset", body: #"{"subject":"Hi","body":"No link"}"#)
        #expect(noLink.status == 422)

        let body = #"{"subject":"{{agency_name}}: choose a new password","body":"Hi {{recipient_name}},\n\nHere you go:\n{{reset_link}}\n"}"#
        let saved = try fixture.call("PUT", "/templates/password_reset", body: body)
        #expect(saved.status == 200)
        #expect(saved.json?["overridden"] as? Bool == true)
        #expect(saved.json?["updated_by"] as? String == fixture.agency.admin.id)
        #expect(try fixture.call("GET", "/templates/password_reset").json?["subject"] as? String == "{{agency_name}}: choose a new password")
        #expect(try fixture.notify.psql("SELECT count(*) FROM platform.outbox WHERE payload->>'action' = 'email.template.updated'") == "1")

        let preview = try fixture.call("POST", "/templates/password_reset/preview")
        #expect(preview.status == 200)
        #expect(preview.json?["subject"] as? String == "Agency \(fixture.agency.slug): choose a new password")
        #expect((preview.json?["text"] as? String)?.contains("https://muster.example/reset-password?token=example-token") == true)
        #expect((preview.json?["html"] as? String)?.contains("Choose a new password") == true)
        let draft = try fixture.call("POST", "/templates/password_reset/preview", body: #"{"subject":"Draft for {{recipient_name}}"}"#)
        #expect(draft.json?["subject"] as? String == "Draft for Alex Morgan")
        #expect(try fixture.call("POST", "/templates/password_reset/preview", body: #"{"subject":"{{nope}}"}"#).status == 422)

        // The override is what goes out.
        let message = EmailRequest(agencyID: fixture.agencyID, template: "password_reset",
                                   recipient: EmailRecipient(userID: UserID(), address: "officer@agency.example", name: "Sam"),
                                   data: ["token": "mpr.secret-token-value"])
        try fixture.notify.deliver([message])
        let folder = URL(fileURLWithPath: try #require(fixture.notify.platform.environment["MUSTER_MAIL_DIR"]))
        let file = folder.appendingPathComponent("\(message.id).eml")
        _ = try await fixture.notify.wait(for: { FileManager.default.fileExists(atPath: file.path) }, until: { $0 })
        let mail = try MailOracle.parse([file])[0]
        #expect(mail.subject == "Agency \(fixture.agency.slug): choose a new password")
        #expect(mail.text?.contains("Hi Sam,") == true)

        #expect(try fixture.call("DELETE", "/templates/password_reset").status == 204)
        #expect(try fixture.call("GET", "/templates/password_reset").json?["overridden"] as? Bool == false)
        #expect(try fixture.call("GET", "/templates/birthday").status == 404)
    }

    @Test func theDeliveryLogPagesFiltersAndNeverShowsBodies() async throws {
        let fixture = try await Self.start()
        defer { fixture.notify.stop() }
        let messages = (0..<5).map { index in
            EmailRequest(agencyID: fixture.agencyID, template: "password_reset",
                         recipient: EmailRecipient(userID: UserID(), address: "officer\(index)@agency.example", name: "Officer \(index)"),
                         data: ["token": "mpr.never-shown-\(index)"])
        }
        let refused = EmailRequest(agencyID: fixture.agencyID, template: "invitation", recipient: EmailRecipient(address: "x@agency.example"), data: [:])
        try fixture.notify.deliver(messages + [refused])
        for message in messages {
            _ = try await fixture.notify.wait(for: { try fixture.notify.status(of: message.id, agency: fixture.agencyID) }, until: { $0 == "sent" })
        }

        let first = try fixture.call("GET", "/messages?limit=2")
        #expect(first.status == 200)
        let firstItems = try #require(first.json?["items"] as? [[String: Any]])
        #expect(firstItems.count == 2)
        let cursor = try #require(first.json?["next_cursor"] as? String)
        var seen = firstItems.compactMap { $0["id"] as? String }
        var next: String? = cursor
        while let page = next {
            let response = try fixture.call("GET", "/messages?limit=2&cursor=\(page)")
            seen += ((response.json?["items"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String }
            next = response.json?["next_cursor"] as? String
        }
        // Every message once; the agency's own invitation emails are in the log too.
        #expect(Set(seen).isSuperset(of: (messages + [refused]).map(\.id.description)))
        #expect(seen.count == Set(seen).count)

        let failed = try fixture.call("GET", "/messages?status=failed")
        let failedItems = (failed.json?["items"] as? [[String: Any]]) ?? []
        #expect(failedItems.map { $0["id"] as? String } == [refused.id.description])
        #expect(failedItems.first?["last_error"] as? String == "missing data: token")

        let detail = try fixture.call("GET", "/messages/\(messages[0].id)")
        #expect(detail.status == 200)
        #expect(detail.json?["status"] as? String == "sent")
        #expect(detail.json?["template"] as? String == "password_reset")
        #expect((detail.json?["recipient"] as? [String: Any])?["address"] as? String == "officer0@agency.example")
        let log = try #require(detail.json?["attempt_log"] as? [[String: Any]])
        #expect(log.count == 1)
        #expect(log.first?["outcome"] as? String == "sent")
        let everything = first.body + detail.body + failed.body
        #expect(!everything.contains("never-shown") && !everything.contains("reset-password"))
        #expect(!fixture.notify.platform.log(.notify).contains("never-shown"))

        for bad in ["/messages?limit=500", "/messages?limit=0", "/messages?status=lost", "/messages?cursor=bogus"] {
            #expect(try fixture.call("GET", bad).status == 400, "\(bad)")
        }
        #expect(try fixture.call("GET", "/messages/\(UUID())").status == 404)
        #expect(try fixture.call("GET", "/messages/not-a-uuid").status == 404)

        // Another agency's admin sees none of it; an officer and a caller without a token get nothing.
        let other = try await fixture.notify.platform.createAgency()
        try fixture.notify.provision(try #require(AgencyID(string: other.id)), name: "Other", slug: other.slug)
        #expect(try fixture.call("GET", "/messages/\(messages[0].id)", token: other.adminToken).status == 404)
        let otherList = try fixture.call("GET", "/messages", token: other.adminToken)
        #expect(!otherList.body.contains(messages[0].id.description))
        let officer = try await fixture.notify.platform.createUser(in: fixture.agency, roles: [.officer])
        #expect(try fixture.call("GET", "/messages", token: officer.accessToken).status == 403)
        #expect(try Curl.request("GET", fixture.api + "/messages").status == 401)
    }

    @Test func replyToIsAnAuditedAgencySetting() async throws {
        let fixture = try await Self.start()
        defer { fixture.notify.stop() }
        #expect(try fixture.call("PUT", "/settings", body: #"{"reply_to":"not an address"}"#).status == 422)
        let saved = try fixture.call("PUT", "/settings", body: #"{"reply_to":"training@agency.example"}"#)
        #expect(saved.status == 200)
        #expect(saved.json?["reply_to"] as? String == "training@agency.example")
        #expect(try fixture.call("GET", "/settings").json?["reply_to"] as? String == "training@agency.example")
        #expect(try fixture.notify.psql("SELECT payload->'changes'->'reply_to'->>'after' FROM platform.outbox WHERE payload->>'action' = 'email.settings.updated'")
            == "training@agency.example")

        let message = EmailRequest.passwordChanged(fixture.agencyID)
        try fixture.notify.deliver([message])
        let file = URL(fileURLWithPath: try #require(fixture.notify.platform.environment["MUSTER_MAIL_DIR"])).appendingPathComponent("\(message.id).eml")
        _ = try await fixture.notify.wait(for: { FileManager.default.fileExists(atPath: file.path) }, until: { $0 })
        #expect(try MailOracle.parse([file])[0].replyTo == "training@agency.example")

        #expect(try fixture.call("PUT", "/settings", body: #"{"reply_to":null}"#).json?["reply_to"] == nil)
    }
}
