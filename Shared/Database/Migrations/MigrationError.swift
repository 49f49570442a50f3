/// Why migrations refused to run. Each names the file or schema concerned.
public enum MigrationError: Error, Sendable, CustomStringConvertible, Equatable {
    /// A file in a migrations folder that is not `NNNN_name.sql` (or `current.sql` under `agency/`).
    case invalidFile(path: String, reason: String)
    /// Versions must run 1, 2, 3… without gaps or repeats.
    case versionSequence(scope: Migration.Scope, reason: String)
    /// `agency/current.sql` is missing (or present without numbered agency migrations).
    case currentDDL(reason: String)
    /// An applied migration's file was edited afterwards: write a new migration instead.
    case checksumMismatch(path: String, recorded: String, actual: String)
    /// The platform schema could not be migrated; the service must not start.
    case platformFailed(version: Int, reason: String)
    /// An agency schema exists without a record in `platform.agency_schemas`.
    case unregisteredSchema(SchemaName)
    /// Provisioning or migrating one agency schema failed.
    case schemaFailed(SchemaName, reason: String)

    public var description: String {
        switch self {
        case .invalidFile(let path, let reason): "migration file \(path): \(reason)"
        case .versionSequence(let scope, let reason): "\(scope.rawValue) migrations: \(reason)"
        case .currentDDL(let reason): "agency/current.sql: \(reason)"
        case .checksumMismatch(let path, let recorded, let actual):
            "migration \(path) was changed after it was applied (recorded sha256 \(recorded), file has \(actual)); "
                + "restore it and add a new migration instead"
        case .platformFailed(let version, let reason): "platform migration \(version) failed: \(reason)"
        case .unregisteredSchema(let schema): "schema \(schema) exists but is not recorded in platform.agency_schemas"
        case .schemaFailed(let schema, let reason): "schema \(schema): \(reason)"
        }
    }
}
