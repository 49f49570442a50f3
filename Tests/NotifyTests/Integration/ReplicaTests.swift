import Foundation
import MusterContracts
import MusterCore
import MusterTestSupport
import Testing

/// Several Notify processes on one queue, and processes that die mid-send.
@Suite(.serialized) struct ReplicaTests {
    /// Message-ID headers of what arrived, counted.
    static func arrivals(_ mail: [ParsedMail]) -> [String: Int] {
        mail.reduce(into: [:]) { $0[$1.messageID, default: 0] += 1 }
    }

    @Test func twoProcessesOnOneQueueDeliverEachMessageExactlyOnce() async throws {
        try await SMTPServer.with { smtp in
            let notify = try await NotifyPlatform.start(smtp: smtp)
            defer { notify.stop() }
            let secondPort = TestEnvironment.freePort()
            try notify.platform.launch(.notify, replica: 1, environment: ["MUSTER_NOTIFY_PORT": String(secondPort)])
            let second = "http://127.0.0.1:\(secondPort)"
            _ = try await notify.wait(for: { (try? Curl.request("GET", second + "/readyz"))?.status ?? 0 }, until: { $0 == 200 })

            let agencies = [try notify.provisionAgency(name: "North PD", slug: "north"), try notify.provisionAgency(name: "South PD", slug: "south")]
            let messages = (0..<500).map { index in
                EmailRequest.passwordChanged(agencies[index % 2], to: "officer\(index)@metro.example", name: "Officer \(index)")
            }
            try notify.deliver(messages)

            let mail = try await smtp.waitForMessages(500, timeout: .seconds(60))
            try await Task.sleep(for: .seconds(1))
            let all = try MailOracle.parse(try smtp.deliveries().map { smtp.folder.appendingPathComponent($0.file) })
            let counts = Self.arrivals(all)
            #expect(mail.count >= 500)
            #expect(all.count == 500, "duplicates: \(counts.filter { $0.value > 1 }.count)")
            #expect(Set(counts.keys) == Set(messages.map { "<\($0.id)@muster.example>" }))
            // Both replicas took part, and every message was sent in a single attempt.
            var replicas: Set<String> = []
            for agency in agencies {
                replicas.formUnion(try notify.psql("SELECT DISTINCT replica FROM \(notify.schema(agency)).message_attempts").split(separator: "\n").map(String.init))
                #expect(try notify.psql("SELECT count(*) FROM \(notify.schema(agency)).messages WHERE status = 'sent' AND attempts = 1") == "250")
            }
            #expect(replicas.count == 2)
            #expect(try notify.psql("SELECT count(*) FROM platform.delivery_queue") == "0")
        }
    }

    @Test func messagesInFlightWhenAProcessIsKilledAreDeliveredAfterTheLease() async throws {
        // A slow server (1.5 s a message: 40 messages over 8 connections take 7.5 s) keeps many
        // messages in flight when the kill comes, even when a loaded machine is slow to send it.
        try await SMTPServer.with(["--delay-ms", "1500"]) { smtp in
            let notify = try await NotifyPlatform.start(smtp: smtp)
            defer { notify.stop() }
            let agency = try notify.provisionAgency()
            let messages = (0..<40).map { EmailRequest.passwordChanged(agency, to: "officer\($0)@metro.example") }
            try notify.deliver(messages)

            _ = try await notify.wait(for: { try smtp.deliveries().count }, until: { $0 >= 4 })
            #expect(notify.platform.terminate(.notify, signal: SIGKILL) == SIGKILL)
            #expect(try smtp.deliveries().count < 40)
            let interrupted = try notify.psql("SELECT count(*) FROM \(notify.schema(agency)).messages WHERE status = 'sending'")
            #expect((Int(interrupted) ?? 0) > 0, "the kill came while messages were being sent")
            try notify.platform.launch(.notify)
            try await notify.platform.waitUntilReady(.notify)

            // Waited for by Notify's own record, not by a count of mails: the duplicates of
            // interrupted messages can make up forty before the last originals arrive.
            let statuses = try await notify.wait(timeout: .seconds(60), for: {
                try notify.psql("SELECT string_agg(DISTINCT status, ',') FROM \(notify.schema(agency)).messages")
            }, until: { $0 == "sent" })
            #expect(statuses == "sent")
            let mail = try MailOracle.parse(try smtp.deliveries().map { smtp.folder.appendingPathComponent($0.file) })
            let counts = Self.arrivals(mail)
            #expect(Set(counts.keys) == Set(messages.map { "<\($0.id)@muster.example>" }), "every message arrived")
            // At most the messages in flight at the kill (one per connection, 8) can arrive twice.
            #expect(counts.values.filter { $0 > 1 }.count <= 8)
            #expect(try notify.psql("SELECT count(*) > 0 FROM \(notify.schema(agency)).message_attempts WHERE outcome = 'abandoned'") == "t")
            #expect(try notify.psql("SELECT count(*) FROM platform.delivery_queue") == "0")
        }
    }
}
