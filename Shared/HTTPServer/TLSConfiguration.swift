import MusterHTTP

/// HTTPS for a server: a PEM certificate chain (leaf first) and its private key.
///
/// The server accepts TLS 1.2 and 1.3 only, with AEAD cipher suites only
/// (AES-GCM, ChaCha20-Poly1305) and forward-secret key exchange.
///
/// ```swift
/// configuration.tls = TLSConfiguration(certificateChainFile: "chain.pem", privateKeyFile: "key.pem")
/// ```
public struct TLSConfiguration: Sendable {
    public var certificateChainFile: String
    public var privateKeyFile: String

    public init(certificateChainFile: String, privateKeyFile: String) {
        self.certificateChainFile = certificateChainFile
        self.privateKeyFile = privateKeyFile
    }
}
