import MusterCrypto

/// An Ed25519 private key with the `kid` that names it in token headers and in the JWKS.
///
/// ```swift
/// let key = JWTSigningKey(privateKey: Ed25519.PrivateKey())   // kid: the RFC 7638 thumbprint
/// let jwks = JWKSet(keys: [JWK(publicKey: key.privateKey.publicKey, kid: key.kid)])
/// ```
public struct JWTSigningKey: Sendable {
    public let kid: String
    public let privateKey: Ed25519.PrivateKey

    /// `kid` defaults to the public key's JWK thumbprint, so it is stable and needs no bookkeeping.
    public init(privateKey: Ed25519.PrivateKey, kid: String? = nil) {
        self.privateKey = privateKey
        self.kid = kid ?? JWK(publicKey: privateKey.publicKey, kid: "").thumbprint
    }
}
