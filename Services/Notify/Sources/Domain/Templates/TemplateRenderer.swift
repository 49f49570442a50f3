/// Subject, text and HTML of one message, rendered from its template (or the
/// agency's override of it) and its inputs.
public struct RenderedEmail: Sendable, Equatable, Codable {
    public var subject: String
    public var text: String
    public var html: String
}

/// An agency's own subject and body text for one template.
public struct TemplateOverride: Sendable, Equatable {
    public var subject: TemplateText
    public var body: TemplateText

    public init(subject: TemplateText, body: TemplateText) {
        self.subject = subject
        self.body = body
    }
}

/// Renders templates. Pure: the same inputs always give the same email.
///
/// ```swift
/// let inputs = TemplateInputs(data: ["token": t], recipient: recipient, agencyName: "Metro PD",
///                             publicURL: "https://muster.example", acceptedAt: Date())
/// let email = TemplateRenderer.render(.builtIn(.passwordReset), override: nil, inputs: inputs)
/// ```
public enum TemplateRenderer {
    public static func render(_ definition: TemplateDefinition, override: TemplateOverride?, inputs: TemplateInputs) -> RenderedEmail {
        let subjectText = override?.subject ?? definition.subject
        let body = override?.body ?? definition.body
        var values: [String: HTMLLayout.Value] = [:]
        for name in definition.placeholders {
            guard let placeholder = PlaceholderCatalog.all[name] else { continue }
            values[name] = HTMLLayout.Value(text: placeholder.value(inputs), linkLabel: placeholder.label)
        }
        let lookup: (String) -> String = { values[$0]?.text ?? "" }
        let subject = HeaderEncoding.sanitized(subjectText.render(lookup))
        let text = body.render(lookup)
        let html = HTMLLayout.document(subject: subject, agencyName: inputs.agencyName, body: body, values: values)
        return RenderedEmail(subject: subject, text: text.hasSuffix("\n") ? text : text + "\n", html: html)
    }
}
