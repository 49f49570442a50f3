import Foundation

/// The password rules of NIST SP 800-63B §5.1.1.2: 12–128 characters of any
/// kind (compared after Unicode NFKC normalisation), no composition rules, not a
/// common password, and not containing the agency's slug or the user's email name.
///
/// ```swift
/// let policy = try PasswordPolicy.bundled()
/// if let problem = policy.problem(with: password, agencySlug: "metro-pd", email: email) { throw … }
/// ```
struct PasswordPolicy: Sendable {
    static let lengths = 12...128

    /// Lower-cased common passwords.
    let blocklist: Set<String>

    init(blocklist: Set<String>) { self.blocklist = blocklist }

    /// The list shipped in `Resources/common-passwords.txt` (its source is named beside it).
    static func bundled() throws -> PasswordPolicy {
        guard let url = Bundle.module.url(forResource: "common-passwords", withExtension: "txt", subdirectory: "Resources") else {
            throw CocoaError(.fileNoSuchFile)
        }
        let text = try String(contentsOf: url, encoding: .utf8)
        return PasswordPolicy(blocklist: Set(text.split(separator: "\n").map { $0.lowercased() }))
    }

    /// Why `password` may not be used, or `nil` when it may.
    func problem(with password: String, agencySlug: String, email: EmailAddress) -> String? {
        let normalised = password.precomposedStringWithCompatibilityMapping
        guard Self.lengths.contains(normalised.count) else {
            return "A password has \(Self.lengths.lowerBound)–\(Self.lengths.upperBound) characters."
        }
        let folded = normalised.lowercased()
        if blocklist.contains(folded) { return "This password is too common; choose another." }
        if folded.contains(agencySlug.lowercased()) { return "A password must not contain the agency's name." }
        let name = email.localPart.lowercased()
        if name.count >= 3, folded.contains(name) { return "A password must not contain your email name." }
        return nil
    }
}
