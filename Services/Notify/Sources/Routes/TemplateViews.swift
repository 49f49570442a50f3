import Foundation
import MusterCore

/// One template as admins see it: its current subject and body (the agency's
/// override, or the built-in text), the built-in text, and what it may use.
struct TemplateView: Encodable {
    struct PlaceholderView: Encodable {
        var name: String
        var kind: Placeholder.Kind
        var summary: String
    }

    var name: TemplateName
    var subject: String
    var body: String
    var overridden: Bool
    var updatedAt: Date?
    var updatedBy: UserID?
    var defaultSubject: String
    var defaultBody: String
    var placeholders: [PlaceholderView]
    var requiredPlaceholders: [String]

    init(_ definition: TemplateDefinition, override: StoredOverride?) {
        name = definition.name
        subject = override?.subject ?? definition.subject.source
        body = override?.body ?? definition.body.source
        overridden = override != nil
        updatedAt = override?.updatedAt
        updatedBy = override?.updatedBy
        defaultSubject = definition.subject.source
        defaultBody = definition.body.source
        placeholders = definition.placeholders.compactMap { PlaceholderCatalog.all[$0] }
            .map { PlaceholderView(name: $0.name, kind: $0.kind, summary: $0.summary) }
        requiredPlaceholders = definition.requiredPlaceholders
    }
}

/// An entry of `GET /api/v1/notify/templates`.
struct TemplateSummary: Encodable {
    var name: TemplateName
    var overridden: Bool
    var updatedAt: Date?
}

/// `PUT /api/v1/notify/templates/{name}`.
struct TemplateChange: Decodable {
    var subject: String
    var body: String
}

/// `POST …/preview`: a draft to preview; what is left out comes from the current template.
struct TemplateDraft: Decodable {
    var subject: String?
    var body: String?
}
