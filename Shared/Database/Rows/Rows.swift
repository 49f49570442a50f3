import Foundation
import CLibPQ

/// The rows a statement returned, decoded lazily from libpq's result.
///
/// ```swift
/// let rows = try await pool.query("SELECT id, name FROM platform.things WHERE id = \(id)")
/// guard let row = rows.first else { throw HTTPError.notFound("thing") }
/// let name = try row.decode("name", as: String.self)
/// ```
public struct Rows: RandomAccessCollection, Sendable {
    let result: ResultHandle
    public let count: Int

    init(_ result: ResultHandle) {
        self.result = result
        count = Int(PQntuples(result.pointer))
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    public subscript(position: Int) -> Row {
        precondition(position >= 0 && position < count, "row \(position) out of range (\(count) rows)")
        return Row(result: result, index: Int32(position))
    }

    /// Rows inserted, updated, deleted (or selected), from the command tag.
    public var affectedRows: Int { Int(String(cString: PQcmdTuples(result.pointer))) ?? 0 }

    public var columnNames: [String] {
        (0..<PQnfields(result.pointer)).map { String(cString: PQfname(result.pointer, $0)) }
    }

    /// Every row decoded by column name (`snake_case` columns fill `camelCase` properties).
    public func decode<Value: Decodable>(_ type: Value.Type) throws -> [Value] {
        let columns = ColumnLookup(result)
        return try map { try Value(from: RowDecoder(row: $0, columns: columns)) }
    }
}

/// One row of ``Rows``.
public struct Row: Sendable {
    let result: ResultHandle
    let index: Int32

    /// The value of the column named `column`; `NULL` decodes only into an optional.
    public func decode<Value: SQLDecodable>(_ column: String, as type: Value.Type = Value.self) throws -> Value {
        guard let position = columnIndex(column) else {
            throw RowDecodingError(column: column, type: Value.self, reason: "no such column in the result")
        }
        return try decode(column: Int(position), as: type)
    }

    /// The value of the column at `position` (0-based).
    public func decode<Value: SQLDecodable>(column position: Int, as type: Value.Type = Value.self) throws -> Value {
        let column = Int32(position)
        guard column >= 0, column < PQnfields(result.pointer) else {
            throw RowDecodingError(column: "#\(position)", type: Value.self, reason: "no such column in the result")
        }
        do {
            if PQgetisnull(result.pointer, index, column) == 1 { return try Value.decodeNull() }
            let bytes = UnsafeRawPointer(PQgetvalue(result.pointer, index, column)!).assumingMemoryBound(to: UInt8.self)
            return try Value.decode(sqlText: UnsafeBufferPointer(start: bytes, count: Int(PQgetlength(result.pointer, index, column))))
        } catch var error as RowDecodingError {
            error.column = String(cString: PQfname(result.pointer, column))
            throw error
        }
    }

    /// The whole row decoded by column name (`snake_case` columns fill `camelCase` properties).
    public func decode<Value: Decodable>(as type: Value.Type) throws -> Value {
        try Value(from: RowDecoder(row: self, columns: ColumnLookup(result)))
    }

    func isNull(column: Int32) -> Bool {
        PQgetisnull(result.pointer, index, column) == 1
    }

    func columnIndex(_ name: String) -> Int32? {
        name.withCString { wanted in
            (0..<PQnfields(result.pointer)).first { strcmp(PQfname(result.pointer, $0), wanted) == 0 }
        }
    }
}
