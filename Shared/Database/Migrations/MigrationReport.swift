/// What ``Migrator/migrate()`` did.
///
/// ```swift
/// let report = try await migrator.migrate()
/// for failure in report.failures { log.error("agency schema not migrated", ["schema": "\(failure.schema)", "error": failure.reason]) }
/// ```
public struct MigrationReport: Sendable {
    /// Platform versions applied by this run (empty when it was up to date).
    public var platformVersionsApplied: [Int] = []
    /// Agency schemas that were behind when the run started.
    public var agencySchemasPending = 0
    /// Agency schemas this run brought up to date (another replica may have done the rest).
    public var agencySchemasMigrated = 0
    /// Agency schemas that failed; each stays at its previous version.
    public var failures: [SchemaFailure] = []
    /// Statements the pool sent during the run: 1 when nothing was pending
    /// (and nothing else used the pool meanwhile).
    public var statementsSent = 0
    public var duration: Duration = .zero

    /// No schema failed.
    public var isComplete: Bool { failures.isEmpty }

    mutating func record(_ outcome: SchemaOutcome) {
        switch outcome {
        case .migrated: agencySchemasMigrated += 1
        case .current: break
        case .failed(let failure): failures.append(failure)
        }
    }
}

/// How one schema's migration ended.
enum SchemaOutcome: Sendable {
    case migrated
    /// Already up to date (another replica was first).
    case current
    case failed(SchemaFailure)
}

/// One agency schema that could not be migrated.
public struct SchemaFailure: Sendable, Equatable {
    public let schema: SchemaName
    public let reason: String
}
