import MusterCore
import MusterDatabase

/// What Notify knows of an agency: its name and slug (from provisioning) and the
/// Reply-To its admins chose. Kept in the agency's `agency_settings`.
struct AgencyProfile: Sendable, Equatable {
    var name: String?
    var slug: String?
    var replyTo: MailAddress?

    /// The name emails show; agencies provisioned before Notify kept names show the slug.
    var displayName: String { name ?? slug ?? "your agency" }
}

enum AgencyProfileStore {
    private struct Identity: Codable, Sendable {
        var name: String
        var slug: String
    }

    /// Reads the profile; call inside the agency's scoped transaction.
    static func load(in tx: Transaction) async throws -> AgencyProfile {
        let rows = try await tx.query("SELECT key, value::text AS value FROM agency_settings WHERE key IN ('agency', 'reply_to')")
        var profile = AgencyProfile()
        for row in rows {
            let value = Array(try row.decode("value", as: String.self).utf8)
            switch try row.decode("key", as: String.self) {
            case "agency":
                let identity = try JSONCoding.decode(Identity.self, from: value)
                profile.name = identity.name
                profile.slug = identity.slug
            default:
                profile.replyTo = MailAddress(try JSONCoding.decode(String.self, from: value))
            }
        }
        return profile
    }

    /// Records the agency's name and slug; repeating it with the same values changes nothing.
    static func saveIdentity(name: String, slug: String, in tx: Transaction) async throws {
        try await tx.execute("""
            INSERT INTO agency_settings (key, value) VALUES ('agency', \(try JSONB(Identity(name: name, slug: slug))))
            ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = now()
            WHERE agency_settings.value IS DISTINCT FROM excluded.value
            """)
    }

    /// Sets or (with `nil`) removes the agency's Reply-To.
    static func saveReplyTo(_ address: MailAddress?, in tx: Transaction) async throws {
        if let address {
            try await tx.execute("""
                INSERT INTO agency_settings (key, value) VALUES ('reply_to', \(try JSONB(address.value)))
                ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = now()
                """)
        } else {
            try await tx.execute("DELETE FROM agency_settings WHERE key = 'reply_to'")
        }
    }
}
