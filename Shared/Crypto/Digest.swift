import COpenSSL

/// The hash functions Muster uses: SHA-256 everywhere, SHA-1 only where a
/// standard demands it (TOTP).
public enum DigestAlgorithm: Sendable, Hashable {
    case sha1, sha256

    /// Length of the digest in bytes.
    public var byteCount: Int {
        switch self {
        case .sha1: 20
        case .sha256: 32
        }
    }

    /// OpenSSL's name, as given to HMAC.
    var name: String {
        switch self {
        case .sha1: "SHA1"
        case .sha256: "SHA256"
        }
    }

    var fetched: FetchedAlgorithm {
        switch self {
        case .sha1: .sha1
        case .sha256: .sha256
        }
    }
}

/// A hash function with one-shot and incremental use; `SHA256` and `SHA1` are the two.
///
/// ```swift
/// let digest = SHA256.hash(Array("abc".utf8))
/// var chain = SHA256.context()
/// chain.update(previousHash)
/// chain.update(eventBytes)
/// let next = chain.finalize()      // the context is ready for the next event
/// ```
public protocol HashFunction {
    static var algorithm: DigestAlgorithm { get }
}

extension HashFunction {
    public static var byteCount: Int { algorithm.byteCount }

    /// The digest of `bytes`.
    public static func hash(_ bytes: some Sequence<UInt8>) -> [UInt8] {
        let algorithm = algorithm
        return withContiguousBytes(bytes) { input in
            makeBytes(count: algorithm.byteCount) { output in
                var length: UInt32 = 0
                precondition(EVP_Digest(input.baseAddress, input.count, output, &length, algorithm.fetched.pointer, nil) == 1,
                             "EVP_Digest failed")
                return Int(length)
            }
        }
    }

    /// A reusable incremental context.
    public static func context() -> DigestContext { DigestContext(algorithm) }
}

public enum SHA256: HashFunction {
    public static let algorithm = DigestAlgorithm.sha256

    /// The digest of `bytes` as four 64-bit words (each read big-endian), computed
    /// without allocating: for a key derived on every request (a token cache's).
    public static func words(_ bytes: UnsafeRawBufferPointer) -> (UInt64, UInt64, UInt64, UInt64) {
        var digest: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        withUnsafeMutableBytes(of: &digest) { muster_sha256(bytes.baseAddress, bytes.count, $0.baseAddress!.assumingMemoryBound(to: UInt8.self)) }
        return (UInt64(bigEndian: digest.0), UInt64(bigEndian: digest.1), UInt64(bigEndian: digest.2), UInt64(bigEndian: digest.3))
    }
}

public enum SHA1: HashFunction {
    public static let algorithm = DigestAlgorithm.sha1
}

/// An incremental digest that owns one OpenSSL context and reuses it after each
/// `finalize()`, so that hashing millions of small messages allocates nothing
/// but the results.
///
/// Non-copyable: the context has exactly one owner, which frees it.
public struct DigestContext: ~Copyable {
    public let algorithm: DigestAlgorithm
    private let context: OpaquePointer

    public init(_ algorithm: DigestAlgorithm) {
        self.algorithm = algorithm
        guard let context = EVP_MD_CTX_new() else { fatalError("EVP_MD_CTX_new: out of memory") }
        self.context = context
        Self.start(context, algorithm)
    }

    deinit { EVP_MD_CTX_free(context) }

    public mutating func update(_ bytes: some Sequence<UInt8>) {
        withContiguousBytes(bytes) { input in
            precondition(EVP_DigestUpdate(context, input.baseAddress, input.count) == 1, "EVP_DigestUpdate failed")
        }
    }

    /// The digest of everything given since the last `finalize()`; the context starts afresh.
    public mutating func finalize() -> [UInt8] {
        let digest = makeBytes(count: algorithm.byteCount) { output in
            var length: UInt32 = 0
            precondition(EVP_DigestFinal_ex(context, output, &length) == 1, "EVP_DigestFinal_ex failed")
            return Int(length)
        }
        Self.start(context, algorithm)
        return digest
    }

    /// Digest contexts fail only on programming errors (a missing algorithm), never on input.
    private static func start(_ context: OpaquePointer, _ algorithm: DigestAlgorithm) {
        precondition(EVP_DigestInit_ex2(context, algorithm.fetched.pointer, nil) == 1, "EVP_DigestInit_ex2 failed")
    }
}
