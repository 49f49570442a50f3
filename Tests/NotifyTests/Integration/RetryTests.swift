import Foundation
import MusterContracts
import MusterCore
import MusterTestSupport
import Testing

/// Temporary failures are retried until the message goes out once; permanent ones stop at once.
@Suite(.serialized) struct RetryTests {
    @Test(arguments: [421, 451])
    func aServerThatDefersIsRetriedAndGetsTheMessageOnce(code: Int) async throws {
        try await SMTPServer.with(["--fail", "\(code):2"]) { smtp in
            let notify = try await NotifyPlatform.start(smtp: smtp)
            defer { notify.stop() }
            let agency = try notify.provisionAgency()
            let message = EmailRequest.passwordChanged(agency)
            try notify.deliver([message])

            let mail = try await smtp.waitForMessages(1)
            #expect(mail.count == 1)
            _ = try await notify.wait(for: { try notify.status(of: message.id, agency: agency) }, until: { $0 == "sent" })
            try await Task.sleep(for: .milliseconds(500))
            #expect(try smtp.deliveries().count == 1)
            let attempts = try notify.psql("""
                SELECT string_agg(outcome || ':' || coalesce(reply_code::text, '-'), ',' ORDER BY number)
                FROM \(notify.schema(agency)).message_attempts WHERE message_id = '\(message.id)'
                """)
            #expect(attempts == "temporary_failure:\(code),temporary_failure:\(code),sent:250")
            let replies = try notify.psql("SELECT reply FROM \(notify.schema(agency)).message_attempts WHERE message_id = '\(message.id)' AND number = 1")
            #expect(replies.contains("\(code) 4.3."))
            #expect(try notify.psql("SELECT status || ':' || attempts FROM \(notify.schema(agency)).messages WHERE id = '\(message.id)'") == "sent:3")
            let actions = try await notify.wait(for: {
                try notify.psql("SELECT string_agg(payload->>'action', ',' ORDER BY created_at) FROM platform.outbox WHERE payload->'target'->>'id' = '\(message.id)'")
            }, until: { $0.hasSuffix("email.sent") })
            #expect(actions == "email.retrying,email.retrying,email.sent")
        }
    }

    @Test func aRefusalFailsAtOnce() async throws {
        try await SMTPServer.with(["--reject", "550"]) { smtp in
            let notify = try await NotifyPlatform.start(smtp: smtp)
            defer { notify.stop() }
            let agency = try notify.provisionAgency()
            let message = EmailRequest.passwordChanged(agency, to: "nobody@metro.example")
            try notify.deliver([message])

            _ = try await notify.wait(for: { try notify.status(of: message.id, agency: agency) }, until: { $0 == "failed" })
            try await Task.sleep(for: .milliseconds(700))
            let row = try notify.psql("SELECT status || '|' || attempts || '|' || last_error FROM \(notify.schema(agency)).messages WHERE id = '\(message.id)'")
            #expect(row.hasPrefix("failed|1|550 5.1.1 <nobody@metro.example>: recipient refused"))
            #expect(try notify.psql("SELECT outcome || ':' || reply_code FROM \(notify.schema(agency)).message_attempts WHERE message_id = '\(message.id)'")
                == "permanent_failure:550")
            #expect(try notify.psql("SELECT count(*) FROM platform.delivery_queue") == "0")
            #expect(try smtp.deliveries().isEmpty)
            #expect(try notify.psql("SELECT count(*) FROM platform.outbox WHERE payload->>'action' = 'email.failed'") == "1")
        }
    }

    @Test func aServerDownForAWhileGetsTheMessageWhenItReturns() async throws {
        let port = TestEnvironment.freePort()
        let notify = try await NotifyPlatform.start(smtp: nil, environment: ["MUSTER_SMTP_URL": "smtp://127.0.0.1:\(port)"])
        defer { notify.stop() }
        let agency = try notify.provisionAgency()
        let (message, reply) = try await notify.deliverUntilRetried(in: agency)
        #expect(reply.localizedCaseInsensitiveContains("connect"))

        let smtp = try await SMTPServer.start(port: port)
        let mail = try await smtp.waitForMessages(1)
        #expect(mail.count == 1)
        _ = try await notify.wait(for: { try notify.status(of: message.id, agency: agency) }, until: { $0 == "sent" })
        try await Task.sleep(for: .milliseconds(500))
        #expect(try smtp.deliveries().count == 1)
        await smtp.remove()
    }

    @Test func retriesStopWhenTheWindowEnds() async throws {
        let port = TestEnvironment.freePort()
        let notify = try await NotifyPlatform.start(smtp: nil, environment: [
            "MUSTER_SMTP_URL": "smtp://127.0.0.1:\(port)", "MUSTER_NOTIFY_RETRY_WINDOW_MS": "1500",
        ])
        defer { notify.stop() }
        let agency = try notify.provisionAgency()
        let message = EmailRequest.passwordChanged(agency)
        try notify.deliver([message])

        let status = try await notify.wait(for: { try notify.status(of: message.id, agency: agency) }, until: { $0 == "failed" })
        #expect(status == "failed")
        let error = try notify.psql("SELECT last_error FROM \(notify.schema(agency)).messages WHERE id = '\(message.id)'")
        #expect(error.hasPrefix("gave up after the retry window:"))
        #expect(try notify.psql("SELECT count(*) FROM platform.delivery_queue") == "0")
    }
}
