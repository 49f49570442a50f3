import COpenSSL

/// OpenSSL algorithm objects fetched once per process.
///
/// `EVP_sha256()` and friends return legacy handles that OpenSSL 3 resolves
/// again (under a lock) on every init; an explicitly fetched object skips that.
/// Fetched objects are immutable and safe to share between threads, and they
/// live as long as the process.
struct FetchedAlgorithm: @unchecked Sendable {
    let pointer: OpaquePointer

    static let sha1 = FetchedAlgorithm(digest: "SHA1")
    static let sha256 = FetchedAlgorithm(digest: "SHA256")
    static let aes256GCM = FetchedAlgorithm(pointer: fetched(EVP_CIPHER_fetch(nil, "AES-256-GCM", nil), "AES-256-GCM"))
    static let hmac = FetchedAlgorithm(pointer: fetched(EVP_MAC_fetch(nil, "HMAC", nil), "HMAC"))

    private init(pointer: OpaquePointer) { self.pointer = pointer }
    private init(digest name: String) { pointer = Self.fetched(EVP_MD_fetch(nil, name, nil), name) }

    private static func fetched(_ pointer: OpaquePointer?, _ name: String) -> OpaquePointer {
        guard let pointer else { fatalError("OpenSSL has no \(name): \(CryptoError.openSSL("fetch"))") }
        return pointer
    }
}
