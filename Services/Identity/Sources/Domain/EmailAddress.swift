import Foundation

/// An email address as Identity stores it: trimmed and lower-cased, at most 254
/// characters (RFC 5321), one `@` between a local part of at most 64 characters
/// and a dotted domain, no spaces or control characters.
///
/// ```swift
/// let email = try EmailAddress.validated(" Jane.Doe@Metro.example ")   // "jane.doe@metro.example"
/// email.localPart                                                     // "jane.doe"
/// ```
struct EmailAddress: Hashable, Sendable, CustomStringConvertible {
    static let maximumLength = 254

    let rawValue: String

    /// The normalised address, or `nil` when it cannot be one.
    init?(_ text: String) {
        let normalised = text.trimmingCharacters(in: .whitespaces).lowercased()
        let parts = normalised.split(separator: "@", omittingEmptySubsequences: false)
        guard normalised.utf8.count <= Self.maximumLength, parts.count == 2,
              (1...64).contains(parts[0].utf8.count), parts[1].utf8.count >= 3,
              parts[1].contains("."), !parts[1].hasPrefix("."), !parts[1].hasSuffix("."),
              normalised.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value != 0x7F && !"<>()[]\\,;:\"".unicodeScalars.contains($0) })
        else { return nil }
        rawValue = normalised
    }

    static func validated(_ text: String, field: String = "email") throws(ValidationFailure) -> EmailAddress {
        guard let email = EmailAddress(text) else {
            throw ValidationFailure(field: field, message: "Give a valid email address of at most \(maximumLength) characters.")
        }
        return email
    }

    /// The part before `@`: a new password must not contain it.
    var localPart: Substring { rawValue[..<rawValue.firstIndex(of: "@")!] }

    var description: String { rawValue }
}

/// A person's display name: 1–200 characters after trimming, no control characters.
/// Characters are counted as PostgreSQL's `length()` counts them, by code point:
/// a name of few graphemes made of many combining marks passes `String.count`
/// and then fails the column's CHECK.
enum PersonName {
    static func validated(_ text: String, field: String = "name") throws(ValidationFailure) -> String {
        let name = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...200).contains(name.unicodeScalars.count), !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw ValidationFailure(field: field, message: "Give a name of 1–200 characters.")
        }
        return name
    }
}
