import Foundation
import MusterCore
import MusterDatabase

/// An agency's override of one template, as stored.
struct StoredOverride: Sendable, Decodable {
    var name: String
    var subject: String
    var body: String
    var updatedAt: Date
    var updatedBy: UserID

    /// Parsed for rendering; a stored override was validated on save, so it parses.
    var parsed: TemplateOverride? {
        guard let subject = try? TemplateText(parsing: subject), let body = try? TemplateText(parsing: body) else { return nil }
        return TemplateOverride(subject: subject, body: body)
    }
}

/// `template_overrides` of one agency; call inside the agency's scoped transaction.
enum TemplateOverrideStore {
    static func load(_ names: [TemplateName], in tx: Transaction) async throws -> [TemplateName: StoredOverride] {
        let overrides = try await tx.query("""
            SELECT name, subject, body, updated_at, updated_by FROM template_overrides WHERE name = ANY(\(names.map(\.rawValue)))
            """, decoding: StoredOverride.self)
        return Dictionary(overrides.compactMap { override in TemplateName(rawValue: override.name).map { ($0, override) } },
                          uniquingKeysWith: { first, _ in first })
    }

    static func save(_ name: TemplateName, subject: String, body: String, by user: UserID, in tx: Transaction) async throws {
        try await tx.execute("""
            INSERT INTO template_overrides (name, subject, body, updated_by) VALUES (\(name.rawValue), \(subject), \(body), \(user))
            ON CONFLICT (name) DO UPDATE SET subject = excluded.subject, body = excluded.body, updated_by = excluded.updated_by,
                                             updated_at = now()
            """)
    }

    /// Returns whether there was an override to remove.
    static func delete(_ name: TemplateName, in tx: Transaction) async throws -> Bool {
        try await tx.execute("DELETE FROM template_overrides WHERE name = \(name.rawValue)") > 0
    }
}
