/// Why a token (a user's access token or a service credential) was refused.
///
/// The cases are for logs and metrics; clients only ever see a plain `401`.
public enum TokenError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Not three base64url parts, bad JSON, missing or ill-typed claims.
    case malformed
    /// `alg` other than `EdDSA` (`none`, `HS256`…), or a `crit` header.
    case unsupportedAlgorithm(String)
    /// `typ` is not the kind of token expected here (a user token offered as a service credential, or the reverse).
    case wrongType(String)
    /// No key with this `kid` (after a refresh, if one was allowed).
    case unknownKey(String)
    case badSignature
    case expired
    case notYetValid
    case wrongIssuer
    case wrongAudience
    /// The token's session was invalidated.
    case revoked
    /// The signing keys could not be fetched: not the caller's fault.
    case keysUnavailable

    public var description: String {
        switch self {
        case .malformed: "malformed"
        case .unsupportedAlgorithm(let alg): "unsupported algorithm \(alg)"
        case .wrongType(let type): "wrong token type \(type)"
        case .unknownKey(let kid): "unknown key \(kid)"
        case .badSignature: "bad signature"
        case .expired: "expired"
        case .notYetValid: "not yet valid"
        case .wrongIssuer: "wrong issuer"
        case .wrongAudience: "wrong audience"
        case .revoked: "revoked"
        case .keysUnavailable: "signing keys unavailable"
        }
    }
}
