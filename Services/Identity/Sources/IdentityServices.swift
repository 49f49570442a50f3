import Foundation
import MusterAuth
import MusterContracts
import MusterCore
import MusterCrypto
import MusterDatabase
import MusterService
import Synchronization

/// Everything Identity's routes, background tasks and commands share, built once.
///
/// Password hashing runs on its own `BlockingPool`: `MUSTER_PASSWORD_HASH_THREADS`
/// threads (default: one per core) cap the 128 MiB scrypt derivations in flight,
/// and at most `MUSTER_PASSWORD_HASH_QUEUE` (default 256) wait; beyond that a
/// login answers `503` instead of piling up.
struct IdentityServices: Sendable {
    let context: ServiceContext
    let db: DatabasePool
    let registry: AgencyRegistry
    let keys: SigningKeys
    let issuer: TokenIssuer
    let hasher: PasswordHasher
    let passwords: PasswordPolicy
    /// Verifies Identity's own tokens against its own keys (no HTTP round trip).
    let verifier: TokenVerifier
    let mailer: Mailer
    let provisioner: AgencyProvisioner

    init(context: ServiceContext) throws {
        guard let migrator = context.migrator else { preconditionFailure("identity has migrations") }
        let environment = context.configuration.environment
        let ring = try MasterKeyRing(environment: environment)
        self.context = context
        db = context.db
        registry = AgencyRegistry(pool: db, ring: ring)
        keys = SigningKeys(pool: db, ring: ring)
        issuer = TokenIssuer(keys: keys)
        let threads = try environment.int("MUSTER_PASSWORD_HASH_THREADS", default: ProcessInfo.processInfo.activeProcessorCount)
        let queue = try environment.int("MUSTER_PASSWORD_HASH_QUEUE", default: 256)
        hasher = PasswordHasher(pool: BlockingPool(name: "scrypt", threads: max(1, threads), maxQueued: max(1, queue)))
        passwords = try PasswordPolicy.bundled()
        verifier = TokenVerifier(issuer: AccessTokenConventions.issuer, audience: AccessTokenConventions.audience, keySource: keys)
        mailer = Mailer(publicURL: context.configuration.publicURL.hasSuffix("/")
                        ? String(context.configuration.publicURL.dropLast()) : context.configuration.publicURL)
        provisioner = AgencyProvisioner(registry: registry, migrator: migrator, peers: context.peers, mailer: mailer, logger: context.logger)
    }
}

/// Builds `IdentityServices` once per process: `ServiceMain` asks the definition
/// for routes, background tasks and commands separately.
final class IdentityServicesBox: Sendable {
    private let built = Mutex<IdentityServices?>(nil)

    func get(_ context: ServiceContext) throws -> IdentityServices {
        try built.withLock { built in
            if let built { return built }
            let services = try IdentityServices(context: context)
            built = services
            return services
        }
    }
}
