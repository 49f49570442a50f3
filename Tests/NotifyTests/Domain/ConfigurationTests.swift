import MusterCore
import NotifyService
import Testing

@Suite struct ConfigurationTests {
    func configuration(_ values: [String: String]) throws -> NotifyConfiguration {
        try NotifyConfiguration(environment: Environment(values), publicURL: "https://muster.example")
    }

    @Test func defaultsWriteFilesFromALocalSender() throws {
        let settings = try configuration([:])
        #expect(settings.smtp == nil)
        #expect(settings.mailDirectory == ".muster/mail")
        #expect(settings.sender.address.value == "no-reply@localhost")
        #expect(settings.delivery.lease == .seconds(120))
    }

    @Test func smtpSettingsAreReadAndCredentialsStayOutOfLogs() throws {
        let settings = try configuration([
            "MUSTER_SMTP_URL": "smtp://relay:secret@mail.example:587", "MUSTER_SMTP_REQUIRE_TLS": "1",
            "MUSTER_SMTP_USERNAME": "muster", "MUSTER_SMTP_PASSWORD": "pw", "MUSTER_MAIL_FROM": "Metro Alerts <alerts@metro.example>",
        ])
        let smtp = try #require(settings.smtp)
        #expect(smtp.requireTLS)
        #expect(smtp.connections == 8)
        #expect(smtp.heloName == "metro.example")
        #expect(!smtp.redactedURL.contains("secret") && smtp.redactedURL.contains("mail.example:587"))
        #expect(settings.sender.name == "Metro Alerts")
    }

    @Test(arguments: [
        ["MUSTER_SMTP_URL": "http://mail.example"],
        ["MUSTER_SMTP_URL": "smtp://mail.example", "MUSTER_SMTP_USERNAME": "only-a-name"],
        ["MUSTER_SMTP_URL": "smtp://mail.example", "MUSTER_SMTP_CONNECTIONS": "0"],
        ["MUSTER_SMTP_URL": "smtp://mail.example", "MUSTER_NOTIFY_LEASE_MS": "30000"],
        ["MUSTER_MAIL_FROM": "not an address"],
        ["MUSTER_SMTP_REQUIRE_TLS": "maybe", "MUSTER_SMTP_URL": "smtp://mail.example"],
    ])
    func badSettingsStopTheStartWithTheVariableNamed(_ values: [String: String]) {
        #expect(throws: ConfigurationError.self) { try configuration(values) }
    }
}
