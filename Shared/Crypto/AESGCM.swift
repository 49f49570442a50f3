import COpenSSL

/// AES-256-GCM with a random 96-bit nonce per message, in a versioned sealed box:
/// `version (1 byte) || nonce (12) || ciphertext || tag (16)`.
///
/// A wrong key, wrong associated data or any changed byte makes `open` throw
/// `CryptoError.authenticationFailed`; it never returns unauthenticated bytes.
///
/// ```swift
/// let box = try AESGCM.seal(Array(seed), with: dataKey, aad: Array(userID.description.utf8))
/// let seed = try AESGCM.open(box, with: dataKey, aad: Array(userID.description.utf8))
/// ```
/// A random nonce under one key is safe for about 2^32 messages (NIST SP 800-38D);
/// per-agency data keys stay far below that.
public enum AESGCM {
    public static let version: UInt8 = 1
    public static let nonceByteCount = 12
    public static let tagByteCount = 16
    /// Bytes a sealed box adds to its plaintext.
    public static let overhead = 1 + nonceByteCount + tagByteCount

    public static func seal(_ plaintext: some Sequence<UInt8>, with key: SymmetricKey, aad: [UInt8] = []) throws(CryptoError) -> [UInt8] {
        let nonce = SecureRandom.bytes(nonceByteCount)
        return try withContiguousBytes(plaintext) { plaintext throws(CryptoError) in
            guard plaintext.count <= Int(Int32.max) - overhead else { throw .malformed("plaintext too long") }
            return try key.contexts.withContext { context throws(CryptoError) in
                try makeBytes(count: plaintext.count + overhead) { output throws(CryptoError) in
                    output[0] = version
                    (output + 1).update(from: nonce, count: nonceByteCount)
                    let body = output + 1 + nonceByteCount
                    try check(EVP_CipherInit_ex2(context, nil, nil, nonce, 1, nil), "EVP_CipherInit_ex2")
                    try authenticate(aad, context)
                    var length: Int32 = 0
                    try check(EVP_CipherUpdate(context, body, &length, plaintext.baseAddress, Int32(plaintext.count)), "EVP_CipherUpdate")
                    var final: Int32 = 0
                    try check(EVP_CipherFinal_ex(context, body + Int(length), &final), "EVP_CipherFinal_ex")
                    let tag = body + plaintext.count
                    try check(EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_GET_TAG, Int32(tagByteCount), tag), "EVP_CTRL_GCM_GET_TAG")
                    return plaintext.count + overhead
                }
            }
        }
    }

    public static func open(_ box: some Sequence<UInt8>, with key: SymmetricKey, aad: [UInt8] = []) throws(CryptoError) -> [UInt8] {
        try withContiguousBytes(box) { box throws(CryptoError) in
            guard box.count >= overhead, box.count <= Int(Int32.max) else { throw .malformed("sealed box") }
            guard box[0] == version else { throw .malformed("sealed box version") }
            let bytes = box.bindMemory(to: UInt8.self).baseAddress!
            let nonce = bytes + 1
            let ciphertext = nonce + nonceByteCount
            let count = box.count - overhead
            var tag = Array(UnsafeBufferPointer(start: ciphertext + count, count: tagByteCount))
            return try key.contexts.withContext { context throws(CryptoError) in
                try makeBytes(count: count) { output throws(CryptoError) in
                    try check(EVP_CipherInit_ex2(context, nil, nil, nonce, 0, nil), "EVP_CipherInit_ex2")
                    try authenticate(aad, context)
                    var length: Int32 = 0
                    try check(EVP_CipherUpdate(context, output, &length, ciphertext, Int32(count)), "EVP_CipherUpdate")
                    try check(EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_SET_TAG, Int32(tagByteCount), &tag), "EVP_CTRL_GCM_SET_TAG")
                    var final: Int32 = 0
                    guard EVP_CipherFinal_ex(context, output + Int(length), &final) == 1 else {
                        ERR_clear_error()
                        throw .authenticationFailed
                    }
                    return count
                }
            }
        }
    }

    /// Feeds the associated data, which is authenticated but not encrypted.
    private static func authenticate(_ aad: [UInt8], _ context: OpaquePointer) throws(CryptoError) {
        guard !aad.isEmpty else { return }
        guard aad.count <= Int(Int32.max) else { throw .malformed("associated data too long") }
        var length: Int32 = 0
        try check(EVP_CipherUpdate(context, nil, &length, aad, Int32(aad.count)), "EVP_CipherUpdate")
    }
}
