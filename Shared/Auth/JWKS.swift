import Foundation
import MusterCrypto

/// One public key in JWK form (RFC 7517), Ed25519 only (RFC 8037 `OKP`).
///
/// ```swift
/// let jwk = JWK(publicKey: key.publicKey, kid: "2024-06")
/// // {"alg":"EdDSA","crv":"Ed25519","kid":"2024-06","kty":"OKP","use":"sig","x":"…"}
/// ```
public struct JWK: Codable, Sendable, Equatable {
    public var kty: String
    public var crv: String?
    public var x: String?
    public var kid: String?
    public var use: String?
    public var alg: String?

    public init(publicKey: Ed25519.PublicKey, kid: String) {
        kty = "OKP"
        crv = "Ed25519"
        x = Base64URL.encode(publicKey.rawRepresentation)
        self.kid = kid
        use = "sig"
        alg = JWT.algorithm
    }

    /// The Ed25519 key, or `nil` for a key of another type or use (skipped, not an error, so that a set may grow new kinds).
    public var publicKey: Ed25519.PublicKey? {
        guard kty == "OKP", crv == "Ed25519", use == nil || use == "sig", alg == nil || alg == JWT.algorithm,
              let x, let bytes = try? Base64URL.decode(x) else { return nil }
        return try? Ed25519.PublicKey(rawRepresentation: bytes)
    }

    /// RFC 7638 thumbprint: base64url SHA-256 of the required members in lexical order.
    public var thumbprint: String {
        let canonical = "{\"crv\":\"\(crv ?? "")\",\"kty\":\"\(kty)\",\"x\":\"\(x ?? "")\"}"
        return Base64URL.encode(SHA256.hash(canonical.utf8))
    }
}

/// A JWK Set, as served at `/.well-known/jwks.json`.
///
/// ```swift
/// let body = try JWKSet(keys: [jwk]).encoded()
/// let keys = try JWKSet.decode(body).publicKeys     // [kid: Ed25519.PublicKey]
/// ```
public struct JWKSet: Codable, Sendable, Equatable {
    public var keys: [JWK]

    public init(keys: [JWK]) { self.keys = keys }

    /// The set for these signing keys' public halves.
    public init(signingKeys: [JWTSigningKey]) {
        keys = signingKeys.map { JWK(publicKey: $0.privateKey.publicKey, kid: $0.kid) }
    }

    public static func decode(_ bytes: some Collection<UInt8>) throws(TokenError) -> JWKSet {
        do { return try JWT.decoder.decode(JWKSet.self, from: Data(bytes)) } catch { throw .malformed }
    }

    public func encoded() throws -> [UInt8] { Array(try JWT.encoder.encode(self)) }

    /// Usable Ed25519 keys by `kid`; keys without a `kid` cannot be chosen and are skipped.
    public var publicKeys: [String: Ed25519.PublicKey] {
        var result: [String: Ed25519.PublicKey] = [:]
        for jwk in keys {
            if let kid = jwk.kid, let key = jwk.publicKey { result[kid] = key }
        }
        return result
    }
}
