import MusterContracts

/// What Notify checks of a request before it queues it. A request that fails
/// is still stored, as `failed` with the reason, so that nothing handed over
/// disappears and the sending service's outbox does not retry it forever.
public enum MessageCheck {
    static let maxDataEntries = 50
    static let maxDataValueLength = 4000
    static let maxNameLength = 200

    /// `nil` when the message can go out, else the reason it cannot.
    public static func problem(with request: EmailRequest) -> String? {
        guard let template = TemplateName(rawValue: request.template) else {
            return "unknown template '\(request.template.prefix(64))'"
        }
        guard MailAddress(request.recipient.address) != nil else { return "the recipient address is not valid" }
        if let name = request.recipient.name, name.count > maxNameLength {
            return "the recipient name is longer than \(maxNameLength) characters"
        }
        if request.data.count > maxDataEntries { return "more than \(maxDataEntries) data entries" }
        if let long = request.data.first(where: { $0.value.count > maxDataValueLength }) {
            return "data '\(long.key.prefix(64))' is longer than \(maxDataValueLength) characters"
        }
        let missing = TemplateDefinition.builtIn(template).requiredData.filter { (request.data[$0] ?? "").isEmpty }
        if !missing.isEmpty { return "missing data: \(missing.joined(separator: ", "))" }
        return nil
    }
}
