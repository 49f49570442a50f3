/// What a service builds once at start and hands to its routes, background jobs
/// and admin subcommands: its own configuration, stores, clients and workers,
/// beside the parts every service has (`context`).
///
/// `ServiceMain` builds it exactly once per process — after migrating, before the
/// first route is registered — so every hook of the service's definition sees the
/// same parts (one queue, one key cache, one upstream pool). Each service keeps it
/// in `<Name>Runtime.swift`, next to its settings in `<Name>Configuration.swift`.
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
/// ```
public protocol ServiceRuntime: Sendable {
    /// The parts every service has: settings, logger, metrics, database, peers, credentials.
    var context: ServiceContext { get }

    /// Builds the service's parts; a thrown error stops the start (or the subcommand).
    init(context: ServiceContext) async throws
}
