import MusterTime
/// Time-based one-time passwords (RFC 6238) as authenticator apps expect them:
/// HMAC-SHA-1, 6 digits, 30-second steps.
///
/// `verify` accepts the codes of one step either side of now and returns the
/// step that matched, so the caller can store it and refuse that step (and any
/// earlier one) next time: a code is accepted once only.
///
/// ```swift
/// let secret = TOTP.generateSecret()
/// let totp = TOTP(secret: secret)
/// let uri = totp.provisioningURI(agency: "metro-pd", email: "jane@metro.example")
/// if let step = totp.verify(code, at: Timestamp.nowSeconds, after: user.lastTOTPStep) {
///     user.lastTOTPStep = step
/// }
/// ```
public struct TOTP: Sendable {
    public static let secretByteCount = 20

    public let secret: [UInt8]
    public let digits: Int
    public let period: Int

    public init(secret: [UInt8], digits: Int = 6, period: Int = 30) {
        precondition((6...9).contains(digits) && period > 0, "unsupported TOTP parameters")
        self.secret = secret
        self.digits = digits
        self.period = period
    }

    /// 160 random bits, the length RFC 4226 recommends for HMAC-SHA-1.
    public static func generateSecret() -> [UInt8] { SecureRandom.bytes(secretByteCount) }

    /// The time step that `time` (seconds since the epoch) falls in.
    public func step(at time: Int) -> Int64 { Int64(time >= 0 ? time / period : (time - period + 1) / period) }

    public func code(at time: Int) -> String { code(step: step(at: time)) }

    /// The code of `step` (RFC 4226 HOTP with the step as counter, dynamic truncation).
    public func code(step: Int64) -> String {
        let counter = (0..<8).map { UInt8(truncatingIfNeeded: UInt64(bitPattern: step) >> UInt64(56 - 8 * $0)) }
        let mac = HMAC.authenticationCode(for: counter, key: secret, algorithm: .sha1)
        let offset = Int(mac[mac.count - 1] & 0x0F)
        let binary = (UInt32(mac[offset]) & 0x7F) << 24 | UInt32(mac[offset + 1]) << 16
            | UInt32(mac[offset + 2]) << 8 | UInt32(mac[offset + 3])
        var modulus: UInt32 = 1
        for _ in 0..<digits { modulus *= 10 }
        let number = String(binary % modulus)
        return String(repeating: "0", count: digits - number.count) + number
    }

    /// The step whose code is `code`, among the steps within `window` of `time`
    /// and later than `lastUsedStep`; `nil` when none matches.
    ///
    /// Every candidate is computed and compared in constant time, so the time
    /// taken does not tell which step (if any) matched.
    public func verify(_ code: String, at time: Int, window: Int = 1, after lastUsedStep: Int64? = nil) -> Int64? {
        let attempt = Array(code.utf8)
        guard attempt.count == digits, attempt.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else {
            return nil
        }
        let now = step(at: time)
        var matched: Int64?
        for candidate in (now - Int64(window))...(now + Int64(window)) {
            let equal = ConstantTime.equals(Array(self.code(step: candidate).utf8), attempt)
            if equal, matched == nil, candidate > (lastUsedStep ?? Int64.min) { matched = candidate }
        }
        return matched
    }

    /// The `otpauth://` URI for a QR code: issuer `issuer`, account `agency:email`
    /// (Google's Key URI format; the label's own `:` is escaped so the issuer prefix stays unambiguous).
    public func provisioningURI(issuer: String = "Muster", agency: String, email: String) -> String {
        let issuerText = Self.escape(issuer)
        return "otpauth://totp/\(issuerText):\(Self.escape(agency + ":" + email))"
            + "?secret=\(Base32.encode(secret, padded: false))&issuer=\(issuerText)"
            + "&algorithm=SHA1&digits=\(digits)&period=\(period)"
    }

    /// Percent-encodes all but RFC 3986's unreserved characters.
    private static func escape(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += "%" + Hex.encode([byte]).uppercased()
            }
        }
        return out
    }
}
