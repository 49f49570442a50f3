import COpenSSL

/// HMAC (RFC 2104) with SHA-1 or SHA-256.
///
/// ```swift
/// let tag = HMAC.authenticationCode(for: message, key: key, algorithm: .sha256)
/// var mac = HMACContext(key: key, algorithm: .sha1)   // reusable, key set once
/// mac.update(counterBytes)
/// let code = mac.finalize()
/// ```
public enum HMAC {
    public static func authenticationCode(for message: some Sequence<UInt8>, key: some Sequence<UInt8>,
                                          algorithm: DigestAlgorithm) -> [UInt8] {
        var context = HMACContext(key: key, algorithm: algorithm)
        context.update(message)
        return context.finalize()
    }
}

/// An incremental HMAC under one key; `finalize()` restarts it under the same key.
public struct HMACContext: ~Copyable {
    public let algorithm: DigestAlgorithm
    private let context: OpaquePointer

    public init(key: some Sequence<UInt8>, algorithm: DigestAlgorithm) {
        self.algorithm = algorithm
        guard let context = EVP_MAC_CTX_new(FetchedAlgorithm.hmac.pointer) else { fatalError("EVP_MAC_CTX_new: out of memory") }
        self.context = context
        // An empty key is valid HMAC, but OpenSSL wants a non-null pointer for it.
        var keyBytes = Array(key)
        let keyLength = keyBytes.count
        if keyBytes.isEmpty { keyBytes = [0] }
        let initialised = keyBytes.withUnsafeBufferPointer { key in
            algorithm.name.withCString { name in
                var params = [
                    OSSL_PARAM_construct_utf8_string("digest", UnsafeMutablePointer(mutating: name), 0),
                    OSSL_PARAM_construct_end(),
                ]
                return EVP_MAC_init(context, key.baseAddress, keyLength, &params)
            }
        }
        precondition(initialised == 1, "EVP_MAC_init failed")
    }

    deinit { EVP_MAC_CTX_free(context) }

    public mutating func update(_ bytes: some Sequence<UInt8>) {
        withContiguousBytes(bytes) { input in
            precondition(EVP_MAC_update(context, input.baseAddress?.assumingMemoryBound(to: UInt8.self), input.count) == 1,
                         "EVP_MAC_update failed")
        }
    }

    /// The code for everything given since the last `finalize()`; the context starts afresh under the same key.
    public mutating func finalize() -> [UInt8] {
        let code = makeBytes(count: algorithm.byteCount) { output in
            var length = 0
            precondition(EVP_MAC_final(context, output, &length, algorithm.byteCount) == 1, "EVP_MAC_final failed")
            return length
        }
        // A null key re-initialises with the key already set.
        precondition(EVP_MAC_init(context, nil, 0, nil) == 1, "EVP_MAC_init failed")
        return code
    }
}
