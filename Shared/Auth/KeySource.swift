/// Where a `TokenVerifier` gets the issuer's public keys: the service layer
/// plugs in an HTTP fetch of Identity's `/.well-known/jwks.json`.
///
/// ```swift
/// struct IdentityKeys: KeySource {
///     let client: HTTPClient
///     func fetchKeys() async throws -> JWKSet { try JWKSet.decode(try await client.get(jwksURL).body) }
/// }
/// ```
public protocol KeySource: Sendable {
    func fetchKeys() async throws -> JWKSet
}

/// A fixed key set (Identity verifying its own tokens, tests).
public struct StaticKeySource: KeySource {
    public let keys: JWKSet
    public init(_ keys: JWKSet) { self.keys = keys }
    public func fetchKeys() async throws -> JWKSet { keys }
}
