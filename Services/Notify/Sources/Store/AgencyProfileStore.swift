import MusterCore
import MusterDatabase

/// What Notify knows of an agency: its name and slug (from provisioning) and the
/// Reply-To its admins chose. Kept in the agency's settings (``AgencySettingKeys``).
struct AgencyProfile: Sendable, Equatable {
    var name: String?
    var slug: String?
    var replyTo: MailAddress?

    /// The name emails show; agencies provisioned before Notify kept names show the slug.
    var displayName: String { name ?? slug ?? "your agency" }
}

enum AgencyProfileStore {
    /// Reads the profile (one statement); call inside the agency's scoped transaction.
    static func load(in tx: Transaction) async throws -> AgencyProfile {
        let (naming, replyTo) = try await tx.settings(AgencySettingKeys.agency, AgencySettingKeys.replyTo)
        return AgencyProfile(name: naming?.name, slug: naming?.slug, replyTo: replyTo.flatMap(MailAddress.init))
    }

    /// Records the agency's name and slug; repeating it with the same values changes nothing.
    static func saveIdentity(name: String, slug: String, in tx: Transaction) async throws {
        try await tx.set(AgencySettingKeys.agency, to: AgencyNaming(name: name, slug: slug))
    }

    /// Sets or (with `nil`) removes the agency's Reply-To.
    static func saveReplyTo(_ address: MailAddress?, in tx: Transaction) async throws {
        if let address {
            try await tx.set(AgencySettingKeys.replyTo, to: address.value)
        } else {
            try await tx.reset(AgencySettingKeys.replyTo)
        }
    }
}
