/// Runs statements: a ``DatabasePool`` (each statement on its own, autocommit)
/// or a ``Transaction``. Stores can take `some SQLQuerying` to work with both.
///
/// ```swift
/// func officer(_ id: UUID, in db: some SQLQuerying) async throws -> Officer? {
///     try await db.query("SELECT id, name FROM officers WHERE id = \(id)", decoding: Officer.self).first
/// }
/// ```
public protocol SQLQuerying: Sendable {
    /// Runs one statement and returns its rows (empty for statements without any).
    nonisolated(nonsending) func query(_ sql: SQL) async throws -> Rows
}

extension SQLQuerying {
    /// Runs one statement and decodes each row by column name (`snake_case`
    /// columns fill `camelCase` properties).
    nonisolated(nonsending) public func query<Value: Decodable>(_ sql: SQL, decoding type: Value.Type) async throws -> [Value] {
        try await query(sql).decode(type)
    }

    /// Runs one statement; returns the number of rows it inserted, updated or deleted.
    @discardableResult
    nonisolated(nonsending) public func execute(_ sql: SQL) async throws -> Int {
        try await query(sql).affectedRows
    }
}
