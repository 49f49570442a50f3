/// One versioned SQL file of a service: `Migrations/<scope>/<NNNN>_<name>.sql`,
/// or the scope's `current.sql`.
public struct Migration: Sendable, Equatable {
    /// Which schemas a migration applies to.
    public enum Scope: String, Sendable, CaseIterable {
        /// The service's `platform` schema (run with `search_path = platform`).
        case platform
        /// Every agency schema (run with `search_path` = that schema).
        case agency
    }

    public let scope: Scope
    /// 1, 2, 3… for numbered files; for `current.sql`, the version it stands for.
    public let version: Int
    public let fileName: String
    public let sql: String
    /// SHA-256 of the file's bytes, hex.
    public let checksum: String

    /// `agency/0003_add_unit_code.sql`: how errors name the file.
    public var path: String { "\(scope.rawValue)/\(fileName)" }
}
