import Foundation
import MusterCore
import MusterCrypto

/// JSON Web Tokens (RFC 7519) in compact form, signed with Ed25519 (`alg: EdDSA`, RFC 8037).
///
/// Nothing else is accepted: not `none`, not HMAC, not RSA — so no key can be
/// confused for a different algorithm's.
///
/// ```swift
/// let token = try JWT.sign(claims, type: JWT.accessTokenType, key: signingKey)
/// let parsed = try JWT.parse(token)        // split, header read, `alg` checked
/// try parsed.verifySignature(with: publicKey)
/// ```
/// `TokenVerifier` and `ServiceCredentialVerifier` do the whole check.
public enum JWT {
    public static let algorithm = "EdDSA"
    /// `typ` of a user's access token (RFC 9068).
    public static let accessTokenType = "at+jwt"
    /// `typ` of a service-to-service credential.
    public static let serviceTokenType = "service+jwt"
    /// Longer tokens are refused before any parsing.
    public static let maximumLength = 8192

    public struct Header: Encodable, Sendable, Equatable {
        public var alg: String
        public var typ: String?
        public var kid: String?

        public init(alg: String, typ: String?, kid: String?) {
            self.alg = alg
            self.typ = typ
            self.kid = kid
        }

        init(_ json: JSONMembers) throws(TokenError) {
            self.init(alg: try json.string("alg"), typ: try json.optionalString("typ"), kid: try json.optionalString("kid"))
            // Critical extensions must be understood (RFC 7515 §4.1.11); none are, so any is refused.
            guard !json.contains("crit") else { throw .unsupportedAlgorithm("crit") }
        }
    }

    /// Signs `claims` with `key`, whose `kid` goes in the header.
    public static func sign<Claims: Encodable>(_ claims: Claims, type: String, key: JWTSigningKey) throws -> String {
        let header = Header(alg: algorithm, typ: type, kid: key.kid)
        let signingInput = Base64URL.encode(try encoder.encode(header)) + "." + Base64URL.encode(try encoder.encode(claims))
        return signingInput + "." + Base64URL.encode(key.privateKey.signature(for: signingInput.utf8))
    }

    /// Splits and decodes `token` and checks its header's algorithm; the signature is checked by `Parsed.verifySignature`.
    public static func parse(_ token: String) throws(TokenError) -> Parsed {
        try parse(token[...])
    }

    /// The same from a slice (of an `Authorization` field), without copying it.
    public static func parse(_ token: Substring) throws(TokenError) -> Parsed {
        try token.withUTF8Bytes { utf8 in Result { () throws(TokenError) in try parse(utf8: utf8) } }.get()
    }

    /// Works on the token's UTF-8 in place: no per-part copies, no Character iteration.
    private static func parse(utf8: UnsafeBufferPointer<UInt8>) throws(TokenError) -> Parsed {
        guard utf8.count <= maximumLength,
              let firstDot = utf8.firstIndex(of: UInt8(ascii: ".")),
              let secondDot = utf8[(firstDot + 1)...].firstIndex(of: UInt8(ascii: ".")),
              !utf8[(secondDot + 1)...].contains(UInt8(ascii: ".")) else { throw .malformed }
        func decode(_ range: Range<Int>) throws(TokenError) -> [UInt8] {
            do { return try Base64URL.decode(utf8: UnsafeBufferPointer(rebasing: utf8[range])) } catch { throw .malformed }
        }
        let header = try Header(JSONMembers(parsing: decode(0..<firstDot)))
        guard header.alg == algorithm else { throw .unsupportedAlgorithm(header.alg) }
        return Parsed(header: header, payload: try decode((firstDot + 1)..<secondDot),
                      signingInput: Array(utf8[..<secondDot]), signature: try decode((secondDot + 1)..<utf8.count))
    }

    /// A token split into its parts, header decoded, signature not yet verified.
    public struct Parsed: Sendable {
        public let header: Header
        /// The decoded claims JSON.
        public let payload: [UInt8]
        let signingInput: [UInt8]
        let signature: [UInt8]

        public func verifySignature(with key: Ed25519.PublicKey) throws(TokenError) {
            guard key.isValidSignature(signature, for: signingInput) else { throw .badSignature }
        }

        /// Decodes the claims (call after `verifySignature`).
        func claims<Claims: TokenClaims>(_ type: Claims.Type) throws(TokenError) -> Claims {
            try Claims(JSONMembers(parsing: payload))
        }
    }

    /// Plain keys: claim names are defined by the RFCs and already snake case.
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()
    static let decoder = JSONDecoder()
}
