import Foundation
import MusterCore

/// Identity's own settings, read once from the environment at start (every
/// variable is in README.md's configuration table).
///
/// ```swift
/// let settings = try IdentityConfiguration(environment: Environment(["MUSTER_PASSWORD_HASH_THREADS": "2"]))
/// ```
public struct IdentityConfiguration: Sendable {
    /// `MUSTER_PASSWORD_HASH_THREADS` (default: one per core): threads hashing passwords
    /// (scrypt, 128 MiB each), so they cap the memory of a login storm.
    public let passwordHashThreads: Int
    /// `MUSTER_PASSWORD_HASH_QUEUE` (default 256): logins waiting for a hashing thread before `503`.
    public let passwordHashQueue: Int
    /// `MUSTER_PROVISIONING_RETRY_MS` (default 2000): how often the reconciler retries
    /// agencies stuck in `provisioning`.
    public let provisioningRetry: Duration

    public init(environment: Environment) throws {
        passwordHashThreads = max(1, try environment.int("MUSTER_PASSWORD_HASH_THREADS",
                                                         default: ProcessInfo.processInfo.activeProcessorCount))
        passwordHashQueue = max(1, try environment.int("MUSTER_PASSWORD_HASH_QUEUE", default: 256))
        provisioningRetry = .milliseconds((try? environment.int("MUSTER_PROVISIONING_RETRY_MS", default: 2000)) ?? 2000)
    }
}
