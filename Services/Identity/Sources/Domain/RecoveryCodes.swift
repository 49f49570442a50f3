import MusterCore
import MusterCrypto

/// Ten single-use recovery codes like `k7qm-2xpa-9d`, 50 random bits each; stored
/// as SHA-256 over the user id and the normalised code, so equal codes of two
/// users never share a hash.
enum RecoveryCodes {
    static let count = 10
    /// Crockford's base32 alphabet: no i, l, o or u to misread.
    private static let alphabet = Array("0123456789abcdefghjkmnpqrstvwxyz".utf8)

    static func generate() -> [String] {
        (0..<count).map { _ in
            let symbols = SecureRandom.bytes(10).map { alphabet[Int($0 & 31)] }
            let text = String(decoding: symbols, as: UTF8.self)
            return "\(text.prefix(4))-\(text.dropFirst(4).prefix(4))-\(text.suffix(2))"
        }
    }

    /// Whether `text` looks like a recovery code rather than a TOTP code.
    static func looksLikeCode(_ text: String) -> Bool { normalise(text).count == 10 }

    static func hash(_ code: String, user: UserID) -> [UInt8] {
        SHA256.hash(Array("\(user.description):\(normalise(code))".utf8))
    }

    private static func normalise(_ text: String) -> String {
        String(text.lowercased().unicodeScalars.filter { $0 != "-" && $0 != " " }.map(Character.init))
    }
}
