import MusterCrypto
import MusterDataKeys
import MusterDatabase
import MusterService

/// Everything Records' routes, background jobs and subcommands share, built once
/// per process by `ServiceMain` and handed to each hook of `RecordsApp`: the common
/// context (its database, peers and public URL) and Records' settings.
///
/// A part that two hooks need (a store, a clock, a worker) is built here once:
///
/// ```swift
/// struct RecordsRuntime: ServiceRuntime {
///     let context: ServiceContext
///     let configuration: RecordsConfiguration
///     let certifications: CertificationStore
///
///     init(context: ServiceContext) throws {
///         self.context = context
///         configuration = try RecordsConfiguration(environment: context.configuration.environment)
///         certifications = CertificationStore(pool: context.db)
///     }
/// }
///
/// // RecordsApp
/// public func registerRoutes(on router: Router, runtime: RecordsRuntime) async throws {
///     router.group("/api/v1/records", middleware: [runtime.context.userAuth]) { api in
///         CertificationRoutes.register(on: api, certifications: runtime.certifications)
///     }
/// }
/// ```
public struct RecordsRuntime: ServiceRuntime {
    public let context: ServiceContext
    public let configuration: RecordsConfiguration
    /// Seals evidence and policy documents under each agency's data key.
    let sealer: FileSealer
    let attachments: AttachmentStore
    /// The state rule packs shipped in the bundle, validated at start (a bad file stops the start).
    let rulePacks: [RulePack]

    public init(context: ServiceContext) throws {
        self.context = context
        configuration = try RecordsConfiguration(environment: context.configuration.environment)
        sealer = FileSealer(keys: DataKeyStore(ring: try MasterKeyRing(environment: context.configuration.environment)))
        attachments = AttachmentStore(sealer: sealer)
        rulePacks = try RulePackLibrary.bundled()
    }

    var db: DatabasePool { context.db }
    var peers: PeerClient { context.peers }
}
