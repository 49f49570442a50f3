import Foundation
import MusterContracts
import MusterCore
import MusterTestSupport
import Testing

/// TLS and authentication towards the mail server.
@Suite(.serialized) struct SMTPSecurityTests {
    /// A self-signed certificate for 127.0.0.1, made by the real `openssl`.
    static func certificate() throws -> (folder: URL, cert: String, key: String) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("notify-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let cert = folder.appendingPathComponent("cert.pem").path, key = folder.appendingPathComponent("key.pem").path
        let made = try Command.run("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                                               "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                                               "-keyout", key, "-out", cert])
        guard made.status == 0 else { throw FixtureFailure("openssl: \(made.stderr)") }
        return (folder, cert, key)
    }

    @Test func startTLSIsUsedWhenOfferedAndAuthenticationSucceedsOverIt() async throws {
        let tls = try Self.certificate()
        defer { try? FileManager.default.removeItem(at: tls.folder) }
        try await SMTPServer.with(["--tls-cert", tls.cert, "--tls-key", tls.key, "--auth", "muster:s3cret-relay"]) { smtp in
            let notify = try await NotifyPlatform.start(smtp: smtp, environment: [
                "MUSTER_SMTP_CA_FILE": tls.cert, "MUSTER_SMTP_USERNAME": "muster", "MUSTER_SMTP_PASSWORD": "s3cret-relay",
                "MUSTER_SMTP_CONNECTIONS": "1",
            ])
            defer { notify.stop() }
            let agency = try notify.provisionAgency()
            try notify.deliver((0..<3).map { _ in EmailRequest.passwordChanged(agency) })
            #expect(try await smtp.waitForMessages(3).count == 3)
            try notify.deliver((0..<3).map { _ in EmailRequest.passwordChanged(agency) })
            #expect(try await smtp.waitForMessages(6).count == 6)
            let deliveries = try smtp.deliveries()
            #expect(deliveries.allSatisfy { $0.tls && $0.authenticated })
            // One session carried all six: no new connection, TLS handshake or AUTH per message.
            #expect(Set(deliveries.map(\.peerPort)).count == 1)
            #expect(!notify.platform.log(.notify).contains("s3cret-relay"))
        }
    }

    @Test func implicitTLSWithSMTPS() async throws {
        let tls = try Self.certificate()
        defer { try? FileManager.default.removeItem(at: tls.folder) }
        try await SMTPServer.with(["--tls-cert", tls.cert, "--tls-key", tls.key, "--implicit-tls"]) { smtp in
            let notify = try await NotifyPlatform.start(smtp: nil, environment: [
                "MUSTER_SMTP_URL": "smtps://127.0.0.1:\(smtp.port)", "MUSTER_SMTP_CA_FILE": tls.cert,
            ])
            defer { notify.stop() }
            let agency = try notify.provisionAgency()
            try notify.deliver([EmailRequest.passwordChanged(agency)])
            #expect(try await smtp.waitForMessages(1).count == 1)
        }
    }

    /// Neither is sent in the clear or given up: an operator can fix the server or the password.
    @Test func requiredTLSIsNeverSkippedAndWrongCredentialsWaitForAFix() async throws {
        try await SMTPServer.with { plain in
            let notify = try await NotifyPlatform.start(smtp: plain, environment: ["MUSTER_SMTP_REQUIRE_TLS": "1"])
            defer { notify.stop() }
            let retried = try await notify.deliverUntilRetried(in: try notify.provisionAgency())
            #expect(try plain.deliveries().isEmpty)
            #expect(retried.firstReply.contains("STARTTLS"), "\(retried.firstReply)")
        }
        let tls = try Self.certificate()
        defer { try? FileManager.default.removeItem(at: tls.folder) }
        try await SMTPServer.with(["--tls-cert", tls.cert, "--tls-key", tls.key, "--auth", "muster:right"]) { smtp in
            let notify = try await NotifyPlatform.start(smtp: smtp, environment: [
                "MUSTER_SMTP_CA_FILE": tls.cert, "MUSTER_SMTP_USERNAME": "muster", "MUSTER_SMTP_PASSWORD": "wrong",
            ])
            defer { notify.stop() }
            let retried = try await notify.deliverUntilRetried(in: try notify.provisionAgency())
            #expect(retried.firstReply.hasPrefix("535 5.7.8"), "\(retried.firstReply)")
            #expect(!retried.firstReply.contains("wrong") && !notify.platform.log(.notify).contains("wrong"))
        }
    }
}
