import MusterContracts
import MusterCore
import MusterService

/// `identity resend-invitation --agency SLUG --email E`: a new invitation email to a
/// user who has not accepted theirs yet. For the case no admin can reach: an agency's
/// first admin whose invitation was lost (mailed to a server nobody reads, or expired)
/// has nobody to resend it from the API. Earlier invitation links stay valid until used or expired.
///
/// ```
/// $ .build/release/identity resend-invitation --agency demo-pd --email admin@demo-pd.example
/// invitation sent to admin@demo-pd.example (agency demo-pd)
/// ```
enum ResendInvitation {
    static func run(_ services: IdentityRuntime, _ arguments: [String]) async throws -> Int32 {
        let options = try IdentityCommands.options(arguments, allowed: ["agency", "email"])
        guard let slug = options["agency"], let emailText = options["email"] else {
            throw CommandError(message: "--agency and --email are required")
        }
        guard let email = EmailAddress(emailText) else { throw CommandError(message: "--email is not an email address") }
        guard let agency = try await services.registry.find(slug: slug), agency.acceptsSignIn else {
            throw CommandError(message: "no active agency \(slug)")
        }
        try await services.db.withAgency(agency.id) { tx in
            guard let user = try await UserStore.find(email: email.rawValue, in: tx) else {
                throw CommandError(message: "agency \(slug) has no user \(email.rawValue)")
            }
            guard user.status == .invited else { throw CommandError(message: "\(email.rawValue) already accepted their invitation") }
            let token = try await UserTokenStore.issue(.invitation, for: user.id, agency: agency.id, in: tx)
            try await services.mailer.invitation(to: .init(user), token: token, agency: agency, in: tx)
            try await AuditTrail(source: .init(ip: nil, userAgent: nil, requestID: nil), agency: agency.id)
                .record("user.invitation.resent", actor: .service(.identity), target: .user(user.id), in: tx)
        }
        print("invitation sent to \(email.rawValue) (agency \(slug))")
        return 0
    }
}
