import Foundation
import MusterContracts
import MusterCore
import MusterDatabase
import MusterOutbox

/// Hands Identity's emails to Notify through the outbox, in the caller's
/// transaction. Links point at the web app under `MUSTER_PUBLIC_URL` with the
/// token as the `token` query parameter.
struct Mailer: Sendable {
    let publicURL: String

    struct Recipient: Sendable {
        let id: UserID
        let email: String
        let name: String
    }

    func invitation(to user: Recipient, token: OpaqueToken, agency: AgencyRecord, in tx: some SQLQuerying) async throws {
        try await send("invitation", to: user, agency: agency, link: link("/accept-invitation", token),
                       extra: ["token": token.text, "expires_in_hours": "72"], in: tx)
    }

    func passwordReset(to user: Recipient, token: OpaqueToken, agency: AgencyRecord, in tx: some SQLQuerying) async throws {
        try await send("password_reset", to: user, agency: agency, link: link("/reset-password", token),
                       extra: ["token": token.text, "expires_in_minutes": "30"], in: tx)
    }

    /// A notice without a secret: `password_changed`, `mfa_enabled`, `mfa_disabled`.
    func notice(_ template: String, to user: Recipient, agency: AgencyRecord, in tx: some SQLQuerying) async throws {
        try await send(template, to: user, agency: agency, link: publicURL + "/", extra: [:], in: tx)
    }

    /// Tells an admin that `locked` was locked after repeated failed logins.
    func accountLocked(_ locked: String, to admin: Recipient, agency: AgencyRecord, in tx: some SQLQuerying) async throws {
        try await send("account_locked", to: admin, agency: agency, link: publicURL + "/admin/users",
                       extra: ["locked_email": locked, "failures": String(LoginThrottlePolicy.accountFailures)], in: tx)
    }

    private func link(_ path: String, _ token: OpaqueToken) -> String {
        // Tokens are base64url, dots and hex: nothing to escape in a query value.
        "\(publicURL)\(path)?token=\(token.text)"
    }

    private func send(_ template: String, to user: Recipient, agency: AgencyRecord, link: String, extra: [String: String],
                      in tx: some SQLQuerying) async throws {
        var data = ["agency_name": agency.name, "agency_slug": agency.slug, "recipient_name": user.name, "link": link]
        data.merge(extra) { $1 }
        try await Outbox.enqueue(EmailRequest(agencyID: agency.isPlatform ? nil : agency.id, template: template,
                                              recipient: EmailRecipient(userID: user.id, address: user.email, name: user.name),
                                              data: data), in: tx)
    }
}

extension Mailer.Recipient {
    init(_ user: UserRecord) { self.init(id: user.id, email: user.email, name: user.name) }
}
