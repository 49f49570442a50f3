import MusterContracts
import MusterCore
import MusterDatabase
import MusterHTTP
import MusterService

/// The agency's email settings: `GET`/`PUT /api/v1/notify/settings` (`reply_to`:
/// where replies to its emails go, or `null`). Changes are audited.
enum SettingsRoutes {
    struct SettingsView: Codable {
        var agencyName: String?
        var replyTo: String?
    }

    struct SettingsChange: Decodable {
        var replyTo: String?
    }

    static func register(on api: RouteGroup, pool: DatabasePool) {
        api.get("/settings") { request in
            let user = try AdminAccess.admin(request)
            let profile = try await pool.withAgency(user.agencyID) { tx in try await AgencyProfileStore.load(in: tx) }
            return try .json(SettingsView(agencyName: profile.name, replyTo: profile.replyTo?.value))
        }

        api.put("/settings", bodyLimit: 4 << 10) { request in
            let user = try AdminAccess.admin(request, changing: true)
            let change = try request.decode(SettingsChange.self)
            let replyTo = try change.replyTo.map { text throws(HTTPError) in
                guard let address = MailAddress(text) else {
                    throw .unprocessable("reply_to is not a valid email address.", code: "invalid_address")
                }
                return address
            }
            let profile = try await pool.withAgency(user.agencyID) { tx in
                let before = try await AgencyProfileStore.load(in: tx)
                try await AgencyProfileStore.saveReplyTo(replyTo, in: tx)
                if before.replyTo != replyTo {
                    try await AuditTrail(request, agency: user.agencyID).record(
                        "email.settings.updated", actor: .principal(user),
                        target: AuditTarget(type: "email_settings", id: user.agencyID.description),
                        changes: ["reply_to": AuditChange(before: before.replyTo.map { .string($0.value) } ?? .null,
                                                          after: replyTo.map { .string($0.value) } ?? .null)],
                        in: tx)
                }
                return try await AgencyProfileStore.load(in: tx)
            }
            return try .json(SettingsView(agencyName: profile.name, replyTo: profile.replyTo?.value))
        }
    }
}
