import Foundation
import MusterContracts
import MusterCore
import MusterTestSupport

/// A platform running Notify (and only what a test asks for), with helpers to
/// provision agencies and hand over messages the way other services' relays do.
struct NotifyPlatform {
    let platform: Platform

    /// Fast timings for tests: retries after ~0.2 s, claims that lapse after 5 s.
    static let fastDelivery = [
        "MUSTER_NOTIFY_RETRY_FIRST_MS": "200", "MUSTER_NOTIFY_POLL_MS": "100", "MUSTER_NOTIFY_LEASE_MS": "5000",
        "MUSTER_SMTP_TIMEOUT_MS": "2000", "MUSTER_SMTP_CONNECT_TIMEOUT_MS": "1500",
        "MUSTER_MAIL_FROM": "Muster <no-reply@muster.example>", "MUSTER_PUBLIC_URL": "https://muster.example",
    ]

    static func start(smtp: SMTPServer?, environment: [String: String] = [:], services: [Platform.Service] = [.notify]) async throws -> NotifyPlatform {
        var extra = fastDelivery
        if let smtp { extra["MUSTER_SMTP_URL"] = smtp.url }
        extra.merge(environment) { $1 }
        return NotifyPlatform(platform: try await Platform.start(services, extraEnvironment: extra))
    }

    func stop() { platform.stop() }

    var url: String { platform.url(.notify) }

    func psql(_ sql: String) throws -> String {
        try Command.psql(sql, database: platform.databaseName(.notify))
    }

    /// Provisions a new agency in Notify as Identity does.
    @discardableResult
    func provisionAgency(name: String = "Metro PD", slug: String = "metro-pd") throws -> AgencyID {
        let agency = AgencyID()
        try provision(agency, name: name, slug: slug)
        return agency
    }

    /// `PUT /internal/agencies/{id}` with Identity's credential.
    func provision(_ agency: AgencyID, name: String, slug: String) throws {
        let credential = try platform.serviceCredential(as: .identity, for: .notify)
        let body = String(decoding: try JSONCoding.encode(ProvisionAgencyRequest(slug: slug, name: name)), as: UTF8.self)
        let response = try Curl.request("PUT", url + "/internal/agencies/\(agency)", headers: ["Authorization": "Bearer \(credential)"], body: body)
        guard response.status == 200 else { throw FixtureFailure("provisioning answered \(response.status): \(response.body)") }
    }

    /// `POST /internal/messages` as a relay sends it; returns the response.
    func send(_ messages: [EmailRequest], as caller: ServiceName = .identity) throws -> CurlResponse {
        let credential = try platform.serviceCredential(as: caller, for: .notify)
        let body = String(decoding: try JSONCoding.encode(EmailBatch(messages: messages)), as: UTF8.self)
        return try Curl.request("POST", url + "/internal/messages", headers: ["Authorization": "Bearer \(credential)",
                                                                             "Content-Type": "application/json"], body: body)
    }

    /// Sends and expects every id accepted.
    func deliver(_ messages: [EmailRequest]) throws {
        for batch in stride(from: 0, to: messages.count, by: 100).map({ Array(messages[$0..<min($0 + 100, messages.count)]) }) {
            let response = try send(batch)
            let accepted = (response.json?["accepted"] as? [String]) ?? []
            guard response.status == 200, Set(accepted) == Set(batch.map(\.id.description)) else {
                throw FixtureFailure("intake answered \(response.status): \(response.body.prefix(500))")
            }
        }
    }

    /// Hands over one message and waits until it has been tried at least twice without
    /// being given up; returns it and the reply its first attempt got.
    func deliverUntilRetried(in agency: AgencyID) async throws -> (message: EmailRequest, firstReply: String) {
        let message = EmailRequest.passwordChanged(agency)
        try deliver([message])
        let attempts = try await wait(for: {
            try psql("SELECT attempts FROM \(schema(agency)).messages WHERE id = '\(message.id)'")
        }, until: { (Int($0) ?? 0) >= 2 })
        guard (Int(attempts) ?? 0) >= 2, try status(of: message.id, agency: agency) != "failed" else {
            throw FixtureFailure("message \(message.id) was not retried: \(attempts) attempts")
        }
        let reply = try psql("SELECT reply FROM \(schema(agency)).message_attempts WHERE message_id = '\(message.id)' AND number = 1")
        return (message, reply)
    }

    /// A message's status in the agency's schema.
    func status(of message: MessageID, agency: AgencyID) throws -> String {
        try psql("SELECT status FROM \(schema(agency)).messages WHERE id = '\(message)'")
    }

    /// Waits until `condition` holds for the value `read` returns.
    func wait<T>(timeout: Duration = .seconds(20), for read: () throws -> T, until condition: (T) -> Bool) async throws -> T {
        let deadline = ContinuousClock.now + timeout
        var value = try read()
        while !condition(value), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
            value = try read()
        }
        return value
    }

    func schema(_ agency: AgencyID) -> String { "agency_\(agency.hex)" }
}

extension EmailRequest {
    static func passwordChanged(_ agency: AgencyID?, to address: String = "officer@metro.example", name: String? = "Alex Morgan") -> EmailRequest {
        EmailRequest(agencyID: agency, template: "password_changed",
                     recipient: EmailRecipient(userID: UserID(), address: address, name: name), data: [:])
    }
}
