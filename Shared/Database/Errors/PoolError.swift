/// Failures of the pool or the link to PostgreSQL (as opposed to a
/// ``DatabaseError`` that PostgreSQL reports for a statement). Messages never
/// contain a password.
///
/// ```swift
/// do { try await pool.ping() } catch let error as PoolError { log.warning("database unavailable", ["error": "\(error)"]) }
/// ```
public enum PoolError: Error, Sendable, CustomStringConvertible, Equatable {
    /// No connection became free within the configured `acquireTimeout`.
    case acquireTimeout(waited: Duration, maxConnections: Int)
    /// A new connection could not be opened (server down, refused, bad credentials…).
    case connectionFailed(reason: String)
    /// The connection broke while a statement was in flight; its outcome is unknown.
    case connectionLost(reason: String)
    /// The pool was shut down.
    case shutDown
    /// A ``Transaction`` was used after its closure returned.
    case transactionFinished
    /// The configuration cannot work (e.g. an unparsable URL).
    case invalidConfiguration(reason: String)
    /// Agency data (e.g. its settings) was asked of a transaction not scoped to an agency.
    case notScopedToAgency

    public var description: String {
        switch self {
        case .acquireTimeout(let waited, let maxConnections):
            "no database connection became free within \(waited) (all \(maxConnections) in use)"
        case .connectionFailed(let reason): "could not connect to PostgreSQL: \(reason)"
        case .connectionLost(let reason): "the PostgreSQL connection was lost: \(reason)"
        case .shutDown: "the database pool is shut down"
        case .transactionFinished: "the transaction was used after it finished"
        case .invalidConfiguration(let reason): "invalid database configuration: \(reason)"
        case .notScopedToAgency: "agency data asked for outside the agency's scope (use withAgency)"
        }
    }
}

/// A column could not be decoded into the requested Swift type.
public struct RowDecodingError: Error, Sendable, CustomStringConvertible {
    /// The column, once known (value decoders throw without it; the row adds it).
    public var column: String?
    public var type: String
    public var reason: String

    public init(column: String? = nil, type: Any.Type, reason: String) {
        self.column = column
        self.type = String(describing: type)
        self.reason = reason
    }

    public var description: String {
        "cannot decode column \(column ?? "?") as \(type): \(reason)"
    }
}
