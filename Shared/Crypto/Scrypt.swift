import COpenSSL

/// scrypt cost parameters (RFC 7914): N = 2^`logN`, block size `r`, parallelism `p`.
public struct ScryptParameters: Sendable, Hashable, CustomStringConvertible {
    public let logN: Int
    public let r: Int
    public let p: Int

    /// Today's password parameters: N = 2^17, r = 8, p = 1 — 128 MiB and ~0.4 s per hash here.
    public static let current = ScryptParameters(logN: 17, r: 8, p: 1)

    /// Bounds accepted from a stored hash, so that a corrupt row cannot ask for gigabytes.
    static let accepted = (logN: 1...20, r: 1...32, p: 1...16)

    public init(logN: Int, r: Int, p: Int) {
        self.logN = logN
        self.r = r
        self.p = p
    }

    /// Memory one derivation needs (OpenSSL's own formula: `128·r·(N + 2 + p)`).
    public var memoryBytes: Int { 128 * r * ((1 << logN) + 2 + p) }

    /// Whether every parameter is at least `other`'s.
    public func isAtLeast(_ other: ScryptParameters) -> Bool {
        logN >= other.logN && r >= other.r && p >= other.p
    }

    var isAccepted: Bool {
        Self.accepted.logN.contains(logN) && Self.accepted.r.contains(r) && Self.accepted.p.contains(p)
    }

    public var description: String { "ln=\(logN),r=\(r),p=\(p)" }
}

/// The scrypt key-derivation function (`EVP_PBE_scrypt`). It blocks for a long
/// time by design: call it from a `BlockingPool`, never from async code directly.
///
/// ```swift
/// let key = try Scrypt.derive(password: Array("pleaseletmein".utf8), salt: Array("SodiumChloride".utf8),
///                             parameters: ScryptParameters(logN: 14, r: 8, p: 1), length: 64)
/// ```
public enum Scrypt {
    public static func derive(password: some Sequence<UInt8>, salt: some Sequence<UInt8>,
                              parameters: ScryptParameters, length: Int) throws(CryptoError) -> [UInt8] {
        guard parameters.isAccepted, length > 0 else { throw .malformed("scrypt parameters") }
        // OpenSSL refuses anything above `maxmem` (32 MiB by default); allow exactly what is asked, plus slack.
        let maxMemory = UInt64(parameters.memoryBytes + (1 << 20))
        return try withContiguousBytes(password) { password throws(CryptoError) in
            try withContiguousBytes(salt) { salt throws(CryptoError) in
                try makeBytes(count: length) { output throws(CryptoError) in
                    try check(EVP_PBE_scrypt(password.baseAddress?.assumingMemoryBound(to: CChar.self), password.count,
                                             salt.baseAddress?.assumingMemoryBound(to: UInt8.self), salt.count,
                                             UInt64(1) << UInt64(parameters.logN), UInt64(parameters.r), UInt64(parameters.p),
                                             maxMemory, output, length), "EVP_PBE_scrypt")
                    return length
                }
            }
        }
    }
}
