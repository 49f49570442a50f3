/// An agency's slug, as users type it at login: lowercase letters, digits and
/// dashes, 3–40 characters, starting and ending with a letter or digit.
/// `platform` is reserved for the operators' own agency.
///
/// ```swift
/// let slug = try AgencySlug.validated("metro-pd")   // or `ValidationFailure`
/// ```
struct AgencySlug: Hashable, Sendable, CustomStringConvertible {
    /// The operators' agency: `identity create-operator` creates it, `POST /platform/agencies` refuses it.
    static let platform = AgencySlug(unchecked: "platform")

    let rawValue: String

    private init(unchecked rawValue: String) { self.rawValue = rawValue }

    /// A well-formed slug, or `nil`; does not refuse the reserved one.
    init?(_ text: String) {
        let bytes = Array(text.utf8)
        func isAlphanumeric(_ byte: UInt8) -> Bool {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
        }
        guard (3...40).contains(bytes.count), isAlphanumeric(bytes[0]), isAlphanumeric(bytes[bytes.count - 1]),
              bytes.allSatisfy({ isAlphanumeric($0) || $0 == UInt8(ascii: "-") }) else { return nil }
        rawValue = text
    }

    /// A slug a new agency may take.
    static func validated(_ text: String) throws(ValidationFailure) -> AgencySlug {
        guard let slug = AgencySlug(text) else {
            throw ValidationFailure(field: "slug", message: "Use 3–40 lowercase letters, digits and dashes, starting and ending with a letter or digit.")
        }
        guard slug != .platform else { throw ValidationFailure(field: "slug", message: "The slug 'platform' is reserved.") }
        return slug
    }

    var description: String { rawValue }
}

/// A value that breaks a rule of the API (`422`), naming the field.
struct ValidationFailure: Error, Sendable, Equatable {
    let field: String
    let message: String
}
