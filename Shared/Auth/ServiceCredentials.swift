import MusterCore
import MusterCrypto

/// This process's service-to-service credentials, from its environment:
///
/// - `MUSTER_<SERVICE>_SERVICE_KEY`: base64 of this service's raw 32-byte Ed25519
///   private key (each process reads only its own);
/// - `MUSTER_SERVICE_PUBLIC_KEYS`: `gateway:<base64>,identity:<base64>,…`, the
///   public keys of the services this one trusts.
///
/// ```swift
/// let credentials = try ServiceCredentials.load(service: .records, environment: Environment())
/// let token = credentials.signer.credential(for: .audit)
/// router.group("/internal", middleware: [ServiceAuthMiddleware(verifier: credentials.verifier)]) { … }
/// print(ServiceCredentials.environmentLines())   // `make run`: fresh keys for every service
/// ```
public struct ServiceCredentials: Sendable {
    public let signer: ServiceCredentialSigner
    public let verifier: ServiceCredentialVerifier

    public init(signer: ServiceCredentialSigner, verifier: ServiceCredentialVerifier) {
        self.signer = signer
        self.verifier = verifier
    }

    public static let publicKeysVariable = "MUSTER_SERVICE_PUBLIC_KEYS"

    public static func privateKeyVariable(for service: ServiceName) -> String { "\(service.environmentPrefix)_SERVICE_KEY" }

    public static func load(service: ServiceName, environment: Environment) throws -> ServiceCredentials {
        let variable = privateKeyVariable(for: service)
        guard let text = environment[variable] else {
            throw ConfigurationError(variable: variable, problem: "this service's private key is required")
        }
        let privateKey: Ed25519.PrivateKey
        do { privateKey = try Ed25519.PrivateKey(rawRepresentation: Base64.decode(text)) } catch {
            // Never echo the value: it is a secret.
            throw ConfigurationError(variable: variable, problem: "expected base64 of a 32-byte Ed25519 private key")
        }
        let trusted = try publicKeys(environment)
        if let listed = trusted[service], listed != privateKey.publicKey {
            throw ConfigurationError(variable: publicKeysVariable, problem: "\(service.rawValue)'s public key does not match \(variable)")
        }
        return ServiceCredentials(signer: ServiceCredentialSigner(service: service, privateKey: privateKey),
                                  verifier: ServiceCredentialVerifier(service: service, trustedKeys: trusted))
    }

    /// Parses `MUSTER_SERVICE_PUBLIC_KEYS`.
    public static func publicKeys(_ environment: Environment) throws -> [ServiceName: Ed25519.PublicKey] {
        var keys: [ServiceName: Ed25519.PublicKey] = [:]
        for entry in environment.list(publicKeysVariable) {
            let parts = entry.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, let name = ServiceName(rawValue: String(parts[0])) else {
                throw ConfigurationError(variable: publicKeysVariable, problem: "expected service:base64 entries, got \(entry.debugDescription)")
            }
            do { keys[name] = try Ed25519.PublicKey(rawRepresentation: Base64.decode(parts[1])) } catch {
                throw ConfigurationError(variable: publicKeysVariable, problem: "\(name.rawValue)'s key is not base64 of 32 bytes")
            }
        }
        return keys
    }

    /// A fresh key pair as base64 of the raw keys: (private, public).
    public static func generateKeyPair() -> (privateKey: String, publicKey: String) {
        let key = Ed25519.PrivateKey()
        return (Base64.encode(key.rawRepresentation), Base64.encode(key.publicKey.rawRepresentation))
    }

    /// `NAME=value` lines with a fresh key for each of `services` and the public-key list
    /// that makes them trust one another (for `make run` or a `keys` subcommand).
    public static func environmentLines(for services: [ServiceName] = ServiceName.allCases) -> String {
        var lines: [String] = [], publics: [String] = []
        for service in services {
            let pair = generateKeyPair()
            lines.append("\(privateKeyVariable(for: service))=\(pair.privateKey)")
            publics.append("\(service.rawValue):\(pair.publicKey)")
        }
        lines.append("\(publicKeysVariable)=\(publics.joined(separator: ","))")
        return lines.joined(separator: "\n") + "\n"
    }
}
