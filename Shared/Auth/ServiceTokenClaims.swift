/// The claims of a service credential (`typ: service+jwt`): which service calls
/// (`iss`), which it calls (`aud`), a short life and a unique id.
public struct ServiceTokenClaims: Encodable, Sendable, Equatable, TokenClaims {
    public var iss: String
    public var aud: String
    public var exp: Int
    public var iat: Int
    public var jti: String

    public init(iss: String, aud: String, exp: Int, iat: Int, jti: String) {
        self.iss = iss
        self.aud = aud
        self.exp = exp
        self.iat = iat
        self.jti = jti
    }

    init(_ json: JSONMembers) throws(TokenError) {
        self.init(iss: try json.string("iss"), aud: try json.string("aud"), exp: try json.time("exp"), iat: try json.time("iat"),
                  jti: try json.string("jti"))
    }
}
