import Foundation
import MusterCore

/// The outcome of checking a password against its stored hash.
public enum PasswordVerification: Sendable, Equatable {
    case valid
    /// Correct, but hashed with weaker parameters than today's: store a new hash.
    case validNeedsRehash
    case invalid
}

/// Hashes and verifies passwords with scrypt on a `BlockingPool`, whose thread
/// count caps how many 128 MiB derivations run at once.
///
/// Passwords are normalised to Unicode NFKC first, so that the same password
/// typed on different keyboards matches.
///
/// ```swift
/// let hasher = PasswordHasher(pool: BlockingPool(name: "scrypt", threads: 2, maxQueued: 64))
/// let stored = try await hasher.hash("correct horse battery")
/// switch try await hasher.verify(attempt, against: stored) {
/// case .valid: …
/// case .validNeedsRehash: store(try await hasher.hash(attempt))
/// case .invalid: …
/// }
/// // Unknown account: spend the same time, so timing reveals nothing.
/// _ = try await hasher.dummyVerify(attempt)
/// ```
public struct PasswordHasher: Sendable {
    public let parameters: ScryptParameters
    private let pool: BlockingPool
    /// A salt used only by `dummyVerify`: its result is compared with nothing real.
    private let dummySalt = SecureRandom.bytes(PasswordHash.saltByteCount)

    public init(parameters: ScryptParameters = .current, pool: BlockingPool) {
        self.parameters = parameters
        self.pool = pool
    }

    /// A new stored hash for `password`, with a fresh salt and today's parameters.
    public func hash(_ password: String) async throws -> String {
        let salt = SecureRandom.bytes(PasswordHash.saltByteCount)
        let derived = try await derive(password, salt: salt, parameters: parameters, length: PasswordHash.hashByteCount)
        return PasswordHash(parameters: parameters, salt: salt, hash: derived).encoded
    }

    /// Checks `password` against `stored`; throws `CryptoError.malformed` when `stored` is not a hash this type wrote.
    public func verify(_ password: String, against stored: String) async throws -> PasswordVerification {
        let stored = try PasswordHash(parsing: stored)
        let derived = try await derive(password, salt: stored.salt, parameters: stored.parameters, length: stored.hash.count)
        guard ConstantTime.equals(derived, stored.hash) else { return .invalid }
        return stored.parameters.isAtLeast(parameters) ? .valid : .validNeedsRehash
    }

    /// Costs what `verify` costs for a hash with today's parameters, and is always `.invalid`.
    public func dummyVerify(_ password: String) async throws -> PasswordVerification {
        _ = try await derive(password, salt: dummySalt, parameters: parameters, length: PasswordHash.hashByteCount)
        return .invalid
    }

    private func derive(_ password: String, salt: [UInt8], parameters: ScryptParameters, length: Int) async throws -> [UInt8] {
        let normalised = Array(password.precomposedStringWithCompatibilityMapping.utf8)
        return try await pool.run {
            try Scrypt.derive(password: normalised, salt: salt, parameters: parameters, length: length)
        }
    }
}
