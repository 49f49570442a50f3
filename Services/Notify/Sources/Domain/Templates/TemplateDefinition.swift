/// One built-in template: its subject and text body (the HTML part is built from
/// the text), the placeholders it offers and the data it cannot do without.
public struct TemplateDefinition: Sendable {
    public let name: TemplateName
    public let subject: TemplateText
    public let body: TemplateText
    /// Placeholders beyond the common ones (`PlaceholderCatalog.common`).
    let specific: [String]
    /// Data keys a request must carry: without them the email makes no sense.
    public let requiredData: [String]
    /// Placeholders an admin's override must keep: the link the email exists for.
    public let requiredPlaceholders: [String]

    init(_ name: TemplateName, subject: String, body: String, specific: [String] = [], requiredData: [String] = [],
         requiredPlaceholders: [String] = []) {
        self.name = name
        self.subject = Self.parsed(subject, name)
        self.body = Self.parsed(body, name)
        self.specific = specific
        self.requiredData = requiredData
        self.requiredPlaceholders = requiredPlaceholders
    }

    /// Every placeholder this template offers, common ones first.
    public var placeholders: [String] { PlaceholderCatalog.common + specific }

    /// The built-in definition of `name`.
    public static func builtIn(_ name: TemplateName) -> TemplateDefinition {
        guard let definition = BuiltInTemplates.all[name] else { preconditionFailure("no built-in template \(name.rawValue)") }
        return definition
    }

    /// Built-in text is a constant of this module; a unit test parses every one of them.
    private static func parsed(_ source: String, _ name: TemplateName) -> TemplateText {
        do {
            return try TemplateText(parsing: source)
        } catch {
            preconditionFailure("built-in template \(name.rawValue) is malformed: \(error)")
        }
    }
}
