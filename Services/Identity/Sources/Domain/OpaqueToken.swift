import MusterCore
import MusterCrypto

/// A bearer secret that only Identity reads back: refresh tokens, invitation,
/// password-reset and MFA-step tokens. `<kind>.<agency hex>.<256 random bits>`:
/// the agency part routes the lookup to the right schema; only the SHA-256 of
/// the whole text is stored, so a database leak yields no usable token.
///
/// ```swift
/// let token = OpaqueToken(kind: .refresh, agency: agencyID)
/// store(token.hash); send(token.text)
/// let back = OpaqueToken(parsing: text, kind: .refresh)   // nil if malformed or of another kind
/// ```
struct OpaqueToken: Sendable {
    enum Kind: String, Sendable {
        case refresh = "mrt"
        case invitation = "mit"
        case passwordReset = "mpr"
        case mfa = "mmf"
    }

    let kind: Kind
    let agency: AgencyID
    let text: String

    init(kind: Kind, agency: AgencyID) {
        self.kind = kind
        self.agency = agency
        text = "\(kind.rawValue).\(agency.hex).\(Base64URL.encode(SecureRandom.bytes(32)))"
    }

    init?(parsing text: String, kind: Kind) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard text.utf8.count <= 128, parts.count == 3, parts[0] == kind.rawValue, parts[1].utf8.count == 32,
              parts[2].utf8.count == 43, let agency = Self.agency(hex: parts[1]) else { return nil }
        self.kind = kind
        self.agency = agency
        self.text = text
    }

    /// What the database keeps.
    var hash: [UInt8] { SHA256.hash(text.utf8) }

    private static func agency(hex: Substring) -> AgencyID? {
        let digits = Array(hex.utf8)
        let dashed = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(decoding: digits[$0], as: UTF8.self) }
        return AgencyID(string: dashed.joined(separator: "-"))
    }
}
