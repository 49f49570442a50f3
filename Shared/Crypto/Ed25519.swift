import COpenSSL

/// Ed25519 signatures (RFC 8032) for tokens and service credentials.
///
/// Signing and verifying reuse OpenSSL contexts prepared with the key, so a
/// verification costs what `openssl speed ed25519` measures.
///
/// ```swift
/// let key = Ed25519.PrivateKey()
/// let signature = key.signature(for: message)
/// key.publicKey.isValidSignature(signature, for: message)   // true
/// let restored = try Ed25519.PrivateKey(pem: key.pemRepresentation)
/// ```
public enum Ed25519 {
    public static let keyByteCount = 32
    public static let signatureByteCount = 64

    public struct PrivateKey: Sendable {
        private let key: KeyHandle
        private let signers: ContextPool
        public let publicKey: PublicKey

        /// A fresh random key.
        public init() {
            guard let context = EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, nil) else { fatalError("EVP_PKEY_CTX_new_id: out of memory") }
            defer { EVP_PKEY_CTX_free(context) }
            var key: OpaquePointer?
            guard EVP_PKEY_keygen_init(context) == 1, EVP_PKEY_keygen(context, &key) == 1, let key else {
                fatalError("Ed25519 key generation failed: \(CryptoError.openSSL("EVP_PKEY_keygen"))")
            }
            try! self.init(KeyHandle(key))
        }

        /// The 32-byte seed of RFC 8032.
        public init(rawRepresentation bytes: some Sequence<UInt8>) throws(CryptoError) {
            let bytes = Array(bytes)
            guard bytes.count == Ed25519.keyByteCount,
                  let key = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nil, bytes, bytes.count) else {
                ERR_clear_error()
                throw .invalidKey("an Ed25519 private key is 32 bytes")
            }
            try self.init(KeyHandle(key))
        }

        /// A PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`), as `openssl genpkey -algorithm ed25519` writes.
        public init(pem: String) throws(CryptoError) {
            try self.init(PEM.read(pem, private: true))
        }

        private init(_ key: KeyHandle) throws(CryptoError) {
            guard EVP_PKEY_get_base_id(key.pointer) == EVP_PKEY_ED25519 else { throw .invalidKey("not an Ed25519 key") }
            self.key = key
            self.publicKey = try PublicKey(rawRepresentation: Ed25519.raw(key, EVP_PKEY_get_raw_public_key))
            self.signers = Ed25519.contextPool(key, EVP_DigestSignInit)
        }

        public var rawRepresentation: [UInt8] { Ed25519.raw(key, EVP_PKEY_get_raw_private_key) }
        public var pemRepresentation: String { PEM.write(key, private: true) }

        /// The 64-byte signature of `message`.
        public func signature(for message: some Sequence<UInt8>) -> [UInt8] {
            // Signing with a valid key cannot fail on any input.
            try! signers.withContext { context throws(CryptoError) in
                try withContiguousBytes(message) { message throws(CryptoError) in
                    try makeBytes(count: Ed25519.signatureByteCount) { output throws(CryptoError) in
                        var length = Ed25519.signatureByteCount
                        try check(EVP_DigestSign(context, output, &length, message.baseAddress, message.count), "EVP_DigestSign")
                        return length
                    }
                }
            }
        }
    }

    public struct PublicKey: Sendable, Equatable {
        private let key: KeyHandle
        private let verifiers: ContextPool
        /// The 32-byte encoded point of RFC 8032.
        public let rawRepresentation: [UInt8]

        public init(rawRepresentation bytes: some Sequence<UInt8>) throws(CryptoError) {
            let bytes = Array(bytes)
            guard bytes.count == Ed25519.keyByteCount,
                  let key = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nil, bytes, bytes.count) else {
                ERR_clear_error()
                throw .invalidKey("an Ed25519 public key is 32 bytes")
            }
            self.init(KeyHandle(key), raw: bytes)
        }

        /// An SPKI PEM (`-----BEGIN PUBLIC KEY-----`).
        public init(pem: String) throws(CryptoError) {
            let key = try PEM.read(pem, private: false)
            guard EVP_PKEY_get_base_id(key.pointer) == EVP_PKEY_ED25519 else { throw .invalidKey("not an Ed25519 key") }
            self.init(key, raw: Ed25519.raw(key, EVP_PKEY_get_raw_public_key))
        }

        private init(_ key: KeyHandle, raw: [UInt8]) {
            self.key = key
            self.rawRepresentation = raw
            self.verifiers = Ed25519.contextPool(key, EVP_DigestVerifyInit)
        }

        public var pemRepresentation: String { PEM.write(key, private: false) }

        /// Whether `signature` is this key's signature of `message`.
        public func isValidSignature(_ signature: some Sequence<UInt8>, for message: some Sequence<UInt8>) -> Bool {
            withContiguousBytes(signature) { signature in
                guard signature.count == Ed25519.signatureByteCount else { return false }
                return withContiguousBytes(message) { message in
                    let verified = try? verifiers.withContext { context throws(CryptoError) in
                        let result = EVP_DigestVerify(context, signature.baseAddress, signature.count, message.baseAddress, message.count)
                        // 0 is a clean "no"; anything else is an error that may have spoilt the context.
                        guard result == 1 || result == 0 else { throw CryptoError.openSSL("EVP_DigestVerify") }
                        return result == 1
                    }
                    ERR_clear_error()
                    return verified ?? false
                }
            }
        }

        public static func == (lhs: PublicKey, rhs: PublicKey) -> Bool {
            lhs.rawRepresentation == rhs.rawRepresentation
        }
    }

    private typealias RawGetter = (OpaquePointer?, UnsafeMutablePointer<UInt8>?, UnsafeMutablePointer<Int>?) -> Int32
    private typealias DigestInit = @Sendable (OpaquePointer?, UnsafeMutablePointer<OpaquePointer?>?, OpaquePointer?, OpaquePointer?, OpaquePointer?) -> Int32

    private static func raw(_ key: KeyHandle, _ getter: RawGetter) -> [UInt8] {
        makeBytes(count: keyByteCount) { output in
            var length = keyByteCount
            precondition(getter(key.pointer, output, &length) == 1, "raw Ed25519 key export failed")
            return length
        }
    }

    /// Contexts initialised once for `key` (Ed25519 signs and verifies whole
    /// messages, so a context can be used again and again).
    private static func contextPool(_ key: KeyHandle, _ initialise: @escaping DigestInit) -> ContextPool {
        ContextPool(make: { () throws(CryptoError) in
            guard let context = EVP_MD_CTX_new() else { throw CryptoError.openSSL("EVP_MD_CTX_new") }
            guard initialise(context, nil, nil, nil, key.pointer) == 1 else {
                EVP_MD_CTX_free(context)
                throw CryptoError.openSSL("EVP_DigestInit")
            }
            return context
        }, free: { EVP_MD_CTX_free($0) })
    }
}
