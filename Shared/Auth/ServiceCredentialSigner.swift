import MusterCore
import MusterCrypto
import MusterHTTP
import MusterTime
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
    /// The current credential per target, read on every request the Gateway
    /// proxies: found by scanning the targets — not by hashing a `ServiceName`
    /// (which hashes its raw string), and without retaining the credentials passed over.
    private let issued = Mutex<(targets: [ServiceName], credentials: [Issued])>(([], []))

    /// A class: reading the current one out of the lock, on every proxied request, costs one retain.
    private final class Issued: Sendable {
        let token: String
        /// The token as the Gateway's credential field, checked once per token.
        let field: HTTPHeaders.Field
        let expiresAt: Int

        init(token: String, field: HTTPHeaders.Field, expiresAt: Int) {
            self.token = token
            self.field = field
            self.expiresAt = expiresAt
        }
    }

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
        issue(for: target).token
    }

    /// The credential as the `X-Muster-Service-Credential` field the Gateway forwards
    /// (``ForwardedClientMiddleware``), checked once per token rather than per request.
    public func credentialField(for target: ServiceName) -> HTTPHeaders.Field {
        issue(for: target).field
    }

    private func issue(for target: ServiceName) -> Issued {
        let now = now()
        if let current = current(for: target), current.expiresAt - renewBefore > now { return current }
        let claims = ServiceTokenClaims(iss: service.rawValue, aud: target.rawValue, exp: now + lifetime, iat: now,
                                        jti: Base64URL.encode(SecureRandom.bytes(16)))
        // Encoding a fixed struct of strings and integers cannot fail; a JWT is base64url and dots, a valid field value.
        let token = try! JWT.sign(claims, type: JWT.serviceTokenType, key: key)
        let current = Issued(token: token, field: HTTPHeaders.Field(InternalHeaders.serviceCredential, token)!, expiresAt: claims.exp)
        issued.withLock { issued in
            if let index = issued.targets.firstIndex(of: target) {
                issued.credentials[index] = current
            } else {
                issued.targets.append(target)
                issued.credentials.append(current)
            }
        }
        return current
    }

    private func current(for target: ServiceName) -> Issued? {
        issued.withLock { issued in
            guard let index = issued.targets.firstIndex(of: target) else { return nil }
            return issued.credentials[index]
        }
    }
}
