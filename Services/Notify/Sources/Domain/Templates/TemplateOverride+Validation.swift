import Foundation

extension TemplateOverride {
    public static let maxSubjectLength = 200
    public static let maxBodyLength = 20_000

    /// An admin's subject and body for `definition`, checked: both present and not
    /// too long, the subject on one line, only placeholders the template offers,
    /// and the template's own link kept.
    ///
    /// ```swift
    /// let override = try TemplateOverride.validated(subject: s, body: b, for: .builtIn(.passwordReset))
    /// ```
    public static func validated(subject: String, body: String, for definition: TemplateDefinition)
        throws(TemplateOverrideProblems) -> TemplateOverride {
        var problems: [String] = []
        if subject.trimmingCharacters(in: .whitespaces).isEmpty { problems.append("The subject is empty.") }
        if subject.count > maxSubjectLength { problems.append("The subject is longer than \(maxSubjectLength) characters.") }
        if subject.contains(where: \.isNewline) { problems.append("The subject must be one line.") }
        if body.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { problems.append("The body is empty.") }
        if body.count > maxBodyLength { problems.append("The body is longer than \(maxBodyLength) characters.") }

        let parsedSubject = parse(subject, what: "subject", into: &problems)
        let parsedBody = parse(body, what: "body", into: &problems)
        let offered = Set(definition.placeholders)
        let used = (parsedSubject?.placeholders ?? []) + (parsedBody?.placeholders ?? [])
        let unknown = used.filter { !offered.contains($0) }
        if !unknown.isEmpty {
            problems.append("Unknown placeholders: \(unknown.map { "{{\($0)}}" }.joined(separator: ", ")). "
                + "This template offers \(definition.placeholders.map { "{{\($0)}}" }.joined(separator: ", ")).")
        }
        if let parsedBody {
            let missing = definition.requiredPlaceholders.filter { !parsedBody.placeholders.contains($0) }
            if !missing.isEmpty {
                problems.append("The body must keep \(missing.map { "{{\($0)}}" }.joined(separator: ", ")).")
            }
        }
        guard problems.isEmpty, let parsedSubject, let parsedBody else { throw TemplateOverrideProblems(problems: problems) }
        return TemplateOverride(subject: parsedSubject, body: parsedBody)
    }

    private static func parse(_ source: String, what: String, into problems: inout [String]) -> TemplateText? {
        do {
            return try TemplateText(parsing: source)
        } catch {
            problems.append("In the \(what): \(error.description).")
            return nil
        }
    }
}

/// Why an override was refused, one sentence per problem.
public struct TemplateOverrideProblems: Error, Equatable, CustomStringConvertible {
    public let problems: [String]
    public var description: String { problems.joined(separator: " ") }
}
