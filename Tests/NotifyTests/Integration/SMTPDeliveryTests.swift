import Foundation
import MusterContracts
import MusterCore
import MusterTestSupport
import Testing

/// Notify against a real SMTP server: what arrives, and how it is recorded.
@Suite(.serialized) struct SMTPDeliveryTests {
    @Test func messagesArriveWithCorrectHeadersAndBothParts() async throws {
        try await SMTPServer.with { smtp in
            let notify = try await NotifyPlatform.start(smtp: smtp)
            defer { notify.stop() }
            let agency = try notify.provisionAgency(name: "Polizei Köln — Ausbildung", slug: "koeln")
            _ = try notify.psql("INSERT INTO \(notify.schema(agency)).agency_settings (key, value) VALUES ('reply_to', '\"training@koeln.example\"')")

            let user = UserID()
            let reset = EmailRequest(agencyID: agency, template: "password_reset",
                                     recipient: EmailRecipient(userID: user, address: "juergen@koeln.example", name: "Jürgen Müller-Lüdenscheidt"),
                                     data: ["token": "tok+/=en", "expires_at": "2024-01-09T15:05:00Z"])
            let reminder = EmailRequest(agencyID: agency, template: "renewal_reminder",
                                        recipient: EmailRecipient(userID: UserID(), address: "zoe@koeln.example", name: "Zoë Ørsted"),
                                        data: ["certification_name": "Schießtraining <Stufe 2>", "expires_on": "2025-03-31"])
            try notify.deliver([reset, reminder])

            let mail = try await smtp.waitForMessages(2)
            #expect(mail.count == 2)
            let resetMail = try #require(mail.first { $0.toAddress == "juergen@koeln.example" })
            #expect(resetMail.defects == [])
            #expect(resetMail.subject == "Reset your Muster password")
            #expect(resetMail.fromName == "Polizei Köln — Ausbildung")
            #expect(resetMail.fromAddress == "no-reply@muster.example")
            #expect(resetMail.toName == "Jürgen Müller-Lüdenscheidt")
            #expect(resetMail.replyTo == "training@koeln.example")
            #expect(resetMail.messageID == "<\(reset.id)@muster.example>")
            #expect(resetMail.dateParsed != nil)
            #expect(resetMail.contentType == "multipart/alternative")
            #expect(resetMail.text?.contains("Hello Jürgen Müller-Lüdenscheidt,") == true)
            #expect(resetMail.text?.contains("https://muster.example/reset-password?token=tok%2B%2F%3Den") == true)
            #expect(resetMail.html?.contains("href=\"https://muster.example/reset-password?token=tok%2B%2F%3Den\"") == true)
            #expect(resetMail.html?.contains("Polizei Köln — Ausbildung") == true)
            #expect(resetMail.maxLineOctets <= 998)
            #expect(resetMail.crlfOnly)

            let reminderMail = try #require(mail.first { $0.toAddress == "zoe@koeln.example" })
            #expect(reminderMail.subject == "Schießtraining <Stufe 2> expires on 2025-03-31")
            #expect(reminderMail.toName == "Zoë Ørsted")
            #expect(reminderMail.html?.contains("Schießtraining &lt;Stufe 2&gt;") == true)
            #expect(reminderMail.text?.contains("Your Schießtraining <Stufe 2> certification expires on 2025-03-31.") == true)

            let deliveries = try smtp.deliveries()
            #expect(deliveries.allSatisfy { $0.mailFrom == "no-reply@muster.example" })
            #expect(Set(deliveries.flatMap(\.rcptTos)) == ["juergen@koeln.example", "zoe@koeln.example"])

            // Recorded: sent, one attempt with the server's reply, the data gone, an audit event each.
            let status = try await notify.wait(for: { try notify.status(of: reset.id, agency: agency) }, until: { $0 == "sent" })
            #expect(status == "sent")
            let row = try notify.psql("""
                SELECT attempts, sealed_data IS NULL, sent_at IS NOT NULL FROM \(notify.schema(agency)).messages WHERE id = '\(reset.id)'
                """)
            #expect(row == "1|t|t")
            let attempt = try notify.psql("SELECT outcome, reply_code, reply FROM \(notify.schema(agency)).message_attempts WHERE message_id = '\(reset.id)'")
            #expect(attempt.hasPrefix("sent|250|"))
            #expect(attempt.contains("Message accepted"))
            let audit = try await notify.wait(for: {
                try notify.psql("SELECT payload::text FROM platform.outbox WHERE topic = 'audit_events' AND payload->'target'->>'id' = '\(reset.id)'")
            }, until: { !$0.isEmpty })
            #expect(audit.contains("\"action\": \"email.sent\""))
            #expect(audit.contains(user.description))
            #expect(!audit.contains("tok+/=en") && !audit.contains("reset-password"))
            #expect(try notify.psql("SELECT count(*) FROM platform.delivery_queue") == "0")
            // Nothing of the secret reached the log.
            #expect(!notify.platform.log(.notify).contains("tok+/=en"))
        }
    }

    @Test func intakeIsIdempotentAndRefusesWhatCannotBeSent() async throws {
        try await SMTPServer.with { smtp in
            let notify = try await NotifyPlatform.start(smtp: smtp)
            defer { notify.stop() }
            let agency = try notify.provisionAgency()
            let good = EmailRequest.passwordChanged(agency)
            let unknownTemplate = EmailRequest(agencyID: agency, template: "birthday", recipient: EmailRecipient(address: "a@b.example"), data: [:])
            let badAddress = EmailRequest.passwordChanged(agency, to: "a@b.example\r\nBcc: evil@x.example")
            let missingToken = EmailRequest(agencyID: agency, template: "invitation", recipient: EmailRecipient(address: "c@d.example"), data: [:])
            let notProvisioned = EmailRequest.passwordChanged(AgencyID())
            let platformMail = EmailRequest.passwordChanged(nil, to: "operator@muster.example")

            let first = try notify.send([good, unknownTemplate, badAddress, missingToken, notProvisioned, platformMail])
            #expect(first.status == 200)
            let accepted = Set((first.json?["accepted"] as? [String]) ?? [])
            #expect(accepted == Set([good, unknownTemplate, badAddress, missingToken, platformMail].map(\.id.description)))
            // The same batch again: the same answer, nothing stored twice.
            let again = try notify.send([good, unknownTemplate])
            #expect(Set((again.json?["accepted"] as? [String]) ?? []) == [good.id.description, unknownTemplate.id.description])

            let mail = try await smtp.waitForMessages(2)
            #expect(Set(mail.map(\.toAddress)) == ["officer@metro.example", "operator@muster.example"])
            try await Task.sleep(for: .milliseconds(500))
            #expect(try smtp.deliveries().count == 2)
            let failed = try notify.psql("SELECT id || ':' || last_error FROM \(notify.schema(agency)).messages WHERE status = 'failed' ORDER BY last_error")
            #expect(failed.contains("\(missingToken.id):missing data: token"))
            #expect(failed.contains("\(badAddress.id):the recipient address is not valid"))
            #expect(failed.contains("\(unknownTemplate.id):unknown template 'birthday'"))
            #expect(try notify.psql("SELECT status FROM platform.messages WHERE id = '\(platformMail.id)'") == "sent")
            #expect(try notify.psql("SELECT count(*) FROM platform.outbox WHERE payload->>'action' = 'email.failed'") == "3")

            // Only services that send mail may hand it over; nobody without a credential.
            #expect(try notify.send([good], as: .gateway).status == 403)
            #expect(try Curl.request("POST", notify.url + "/internal/messages", body: "{\"messages\":[]}").status == 401)
            let credential = try notify.platform.serviceCredential(as: .identity, for: .notify)
            let malformed = try Curl.request("POST", notify.url + "/internal/messages", headers: ["Authorization": "Bearer \(credential)"],
                                             body: "{\"messages\":[{\"id\":\"x\"}]}")
            #expect(malformed.status == 400)
        }
    }
}
