import MusterCore
import MusterCrypto
import Synchronization

/// Mints this service's credentials for calls to its peers: short-lived
/// (`lifetime`, 5 minutes) Ed25519 JWTs, one per target, reused until
/// `renewBefore` seconds ahead of expiry so that a call rarely pays for a signature.
///
/// ```swift
/// var request = …
/// request.headers["Authorization"] = "Bearer " + credentials.signer.credential(for: .audit)
/// ```
public final class ServiceCredentialSigner: Sendable {
    public let service: ServiceName
    private let key: JWTSigningKey
    private let lifetime: Int
    private let renewBefore: Int
    private let now: @Sendable () -> Int
    private let issued = Mutex<[ServiceName: (token: String, expiresAt: Int)]>([:])

    public init(service: ServiceName, privateKey: Ed25519.PrivateKey, lifetime: Int = 300, renewBefore: Int = 60,
                now: @escaping @Sendable () -> Int = { Timestamp.nowSeconds }) {
        precondition(lifetime > renewBefore, "a credential must live longer than its renewal margin")
        self.service = service
        // The kid names the calling service: the receiver looks up that service's configured key.
        self.key = JWTSigningKey(privateKey: privateKey, kid: service.rawValue)
        self.lifetime = lifetime
        self.renewBefore = renewBefore
        self.now = now
    }

    /// A credential for calling `target` (without the `Bearer ` prefix).
    public func credential(for target: ServiceName) -> String {
        let now = now()
        if let current = issued.withLock({ $0[target] }), current.expiresAt - renewBefore > now { return current.token }
        let claims = ServiceTokenClaims(iss: service.rawValue, aud: target.rawValue, exp: now + lifetime, iat: now,
                                        jti: Base64URL.encode(SecureRandom.bytes(16)))
        // Encoding a fixed struct of strings and integers cannot fail.
        let token = try! JWT.sign(claims, type: JWT.serviceTokenType, key: key)
        issued.withLock { $0[target] = (token, claims.exp) }
        return token
    }
}
