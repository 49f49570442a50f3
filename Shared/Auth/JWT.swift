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
/// let parsed = try JWT.parse(token)                 // header checked, signature not yet
/// guard parsed.header.type == JWT.accessTokenType else { … }
/// try parsed.verifySignature(with: publicKey)
/// let claims = try parsed.claims(AccessTokenClaims.self)
/// ```
public enum JWT {
    public static let algorithm = "EdDSA"
    /// `typ` of a user's access token (RFC 9068).
    public static let accessTokenType = "at+jwt"
    /// `typ` of a service-to-service credential.
    public static let serviceTokenType = "service+jwt"
    /// Longer tokens are refused before any parsing.
    public static let maximumLength = 8192

    public struct Header: Codable, Sendable, Equatable {
        public var alg: String
        public var typ: String?
        public var kid: String?
        /// Critical extensions: this implementation understands none, so any makes the token invalid (RFC 7515 §4.1.11).
        public var crit: [String]?

        public var type: String? { typ }
    }

    /// Signs `claims` with `key`, whose `kid` goes in the header.
    public static func sign<Claims: Encodable>(_ claims: Claims, type: String, key: JWTSigningKey) throws -> String {
        let header = Header(alg: algorithm, typ: type, kid: key.kid)
        let signingInput = Base64URL.encode(try encoder.encode(header)) + "." + Base64URL.encode(try encoder.encode(claims))
        return signingInput + "." + Base64URL.encode(key.privateKey.signature(for: signingInput.utf8))
    }

    /// Splits and decodes `token` and checks its header's algorithm; the signature is checked by `Parsed.verifySignature`.
    public static func parse(_ token: some StringProtocol) throws(TokenError) -> Parsed {
        guard token.utf8.count <= maximumLength else { throw .malformed }
        let parts = token.split(separator: ".", maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw .malformed }
        let header: Header
        let payload: [UInt8], signature: [UInt8]
        do {
            header = try decoder.decode(Header.self, from: Data(Base64URL.decode(parts[0])))
            payload = try Base64URL.decode(parts[1])
            signature = try Base64URL.decode(parts[2])
        } catch {
            throw .malformed
        }
        guard header.alg == algorithm else { throw .unsupportedAlgorithm(header.alg) }
        guard header.crit == nil else { throw .unsupportedAlgorithm("crit") }
        let signingInput = Array(token[parts[0].startIndex..<parts[1].endIndex].utf8)
        return Parsed(header: header, payload: payload, signingInput: signingInput, signature: signature)
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
        public func claims<Claims: Decodable>(_ type: Claims.Type) throws(TokenError) -> Claims {
            do { return try JWT.decoder.decode(type, from: Data(payload)) } catch { throw .malformed }
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
