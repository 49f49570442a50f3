import MusterAuth
import MusterCore
import MusterCrypto

extension Platform {
    /// A service credential signed with `caller`'s key from this platform's secrets,
    /// for calling `target` — what that service would send.
    public func serviceCredential(as caller: ServiceName, for target: ServiceName) throws -> String {
        let variable = ServiceCredentials.privateKeyVariable(for: caller)
        let key = try Ed25519.PrivateKey(rawRepresentation: try Base64.decode(environment[variable] ?? ""))
        return ServiceCredentialSigner(service: caller, privateKey: key).credential(for: target)
    }
}

extension Platform.Service {
    /// The service's name as the shared libraries know it.
    public var name: ServiceName { ServiceName(rawValue: rawValue)! }
}
