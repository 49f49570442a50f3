/// The fixed `iss` and `aud` of user access tokens: Identity signs with them,
/// every service verifies against them.
public enum AccessTokenConventions {
    public static let issuer = "muster-identity"
    public static let audience = "muster-api"
    /// Where Identity publishes its public signing keys (RFC 8037 OKP JWK set).
    public static let jwksPath = "/.well-known/jwks.json"
}
