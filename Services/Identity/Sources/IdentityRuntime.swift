import Foundation
import MusterAuth
import MusterContracts
import MusterCore
import MusterCrypto
import MusterDatabase
import MusterService

/// Everything Identity's routes, background tasks and commands share, built once
/// per process by `ServiceMain` and handed to each hook of `IdentityApp`.
///
/// Password hashing runs on its own `BlockingPool`: `passwordHashThreads` threads
/// cap the 128 MiB scrypt derivations in flight, and at most `passwordHashQueue`
/// wait; beyond that a login answers `503` instead of piling up.
public struct IdentityRuntime: ServiceRuntime {
    public let context: ServiceContext
    let configuration: IdentityConfiguration
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

    public init(context: ServiceContext) throws {
        guard let migrator = context.migrator else { preconditionFailure("identity has migrations") }
        let environment = context.configuration.environment
        let ring = try MasterKeyRing(environment: environment)
        let configuration = try IdentityConfiguration(environment: environment)
        self.context = context
        self.configuration = configuration
        db = context.db
        registry = AgencyRegistry(pool: db, ring: ring)
        keys = SigningKeys(pool: db, ring: ring)
        issuer = TokenIssuer(keys: keys)
        hasher = PasswordHasher(pool: BlockingPool(name: "scrypt", threads: configuration.passwordHashThreads,
                                                   maxQueued: configuration.passwordHashQueue))
        passwords = try PasswordPolicy.bundled()
        verifier = TokenVerifier(issuer: AccessTokenConventions.issuer, audience: AccessTokenConventions.audience, keySource: keys)
        mailer = Mailer(publicURL: context.configuration.publicURL.hasSuffix("/")
                        ? String(context.configuration.publicURL.dropLast()) : context.configuration.publicURL)
        provisioner = AgencyProvisioner(registry: registry, migrator: migrator, peers: context.peers, mailer: mailer, logger: context.logger)
    }
}
