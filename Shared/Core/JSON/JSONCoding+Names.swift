/// The naming rule of ``JSONCoding`` (and of result columns): a Swift name's words
/// in snake_case, and back.
///
/// ```swift
/// JSONCoding.snakeCase("supportGrantID")   // "support_grant_id"
/// JSONCoding.camelCase("support_grant_id") // "supportGrantID"
/// JSONCoding.camelCase("user_ids")         // "userIDs"
/// ```
extension JSONCoding {
    /// Words start at an upper-case letter after a lower-case one or a digit, and
    /// at the last capital of a run followed by a lower-case letter, except the `s`
    /// of a plural acronym: `agencyID` → `agency_id`, `mfaRequiredAt` → `mfa_required_at`,
    /// `HTTPStatus` → `http_status`, `userIDs` → `user_ids`.
    public static func snakeCase(_ name: String) -> String {
        let characters = Array(name)
        func isPluralS(_ index: Int) -> Bool {
            characters[index] == "s" && (index + 1 == characters.count || !characters[index + 1].isLowercase)
        }
        var out = ""
        for (index, character) in characters.enumerated() {
            if character.isUppercase, index > 0 {
                let previous = characters[index - 1]
                let nextStartsWord = index + 1 < characters.count && characters[index + 1].isLowercase && !isPluralS(index + 1)
                if previous.isLowercase || previous.isNumber || (previous.isUppercase && nextStartsWord) { out.append("_") }
            }
            out += character.lowercased()
        }
        return out
    }

    /// The Swift name of a snake_case wire name: words after the first capitalized,
    /// the acronyms `id`, `ip`, `uri` and `url` (and their plurals) upper-case.
    /// A name without `_` is kept as it is.
    public static func camelCase(_ name: String) -> String {
        guard name.contains("_") else { return name }
        let words = name.split(separator: "_", omittingEmptySubsequences: false)
        var out = String(words[0])
        for word in words.dropFirst() {
            let singular = word.hasSuffix("s") ? word.dropLast() : word[...]
            if acronyms.contains(String(singular)) {
                out += singular.uppercased() + (singular.count < word.count ? "s" : "")
            } else {
                out += word.prefix(1).uppercased() + word.dropFirst()
            }
        }
        return out
    }

    private static let acronyms: Set<String> = ["id", "ip", "uri", "url"]
}

/// A coding key built from a wire name.
struct WireKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }
    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
