import COpenSSL

/// A 256-bit AES key: a master key or an agency's data key.
///
/// The key keeps a few OpenSSL cipher contexts with its key schedule already
/// computed, so sealing many small values skips the setup.
///
/// ```swift
/// let key = SymmetricKey()                                   // random
/// let restored = try SymmetricKey(rawRepresentation: bytes)  // exactly 32 bytes
/// ```
public struct SymmetricKey: Sendable {
    public static let byteCount = 32

    /// The key bytes, for wrapping under another key. Never log them.
    public let rawRepresentation: [UInt8]
    let contexts: ContextPool

    /// A fresh random key.
    public init() {
        try! self.init(rawRepresentation: SecureRandom.bytes(Self.byteCount))
    }

    public init(rawRepresentation bytes: some Sequence<UInt8>) throws(CryptoError) {
        let bytes = Array(bytes)
        guard bytes.count == Self.byteCount else { throw .invalidKey("an AES-256 key is 32 bytes") }
        rawRepresentation = bytes
        contexts = ContextPool(make: { () throws(CryptoError) in
            guard let context = EVP_CIPHER_CTX_new() else { throw CryptoError.openSSL("EVP_CIPHER_CTX_new") }
            guard EVP_CipherInit_ex2(context, FetchedAlgorithm.aes256GCM.pointer, bytes, nil, 1, nil) == 1 else {
                EVP_CIPHER_CTX_free(context)
                throw CryptoError.openSSL("EVP_CipherInit_ex2")
            }
            return context
        }, free: { EVP_CIPHER_CTX_free($0) })
    }
}
