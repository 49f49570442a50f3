import CLibPQ

/// An error PostgreSQL reported for a statement, with its SQLSTATE and fields.
///
/// ```swift
/// do {
///     try await tx.execute("INSERT INTO users (email) VALUES (\(email))")
/// } catch let error as DatabaseError where error.isUniqueViolation {
///     throw HTTPError.conflict("That email is already in use.", code: "email_taken")
/// }
/// ```
public struct DatabaseError: Error, Sendable, CustomStringConvertible {
    /// The five-character SQLSTATE code, e.g. `23505`.
    public let sqlState: String
    public let message: String
    public let detail: String?
    public let hint: String?
    public let schema: String?
    public let table: String?
    public let column: String?
    public let constraint: String?

    public init(sqlState: String, message: String, detail: String? = nil, hint: String? = nil,
                schema: String? = nil, table: String? = nil, column: String? = nil, constraint: String? = nil) {
        self.sqlState = sqlState
        self.message = message
        self.detail = detail
        self.hint = hint
        self.schema = schema
        self.table = table
        self.column = column
        self.constraint = constraint
    }

    /// The fields of an error result.
    init(result: OpaquePointer) {
        func field(_ code: Character) -> String? {
            guard let value = PQresultErrorField(result, Int32(code.asciiValue!)) else { return nil }
            return String(cString: value)
        }
        self.init(sqlState: field("C") ?? "XX000",
                  message: field("M") ?? String(cString: PQresultErrorMessage(result)),
                  detail: field("D"), hint: field("H"), schema: field("s"), table: field("t"),
                  column: field("c"), constraint: field("n"))
    }

    /// The SQL statement is not shown: it may be long, and the values are not in it anyway.
    public var description: String {
        var text = "PostgreSQL error \(sqlState): \(message)"
        if let constraint { text += " (constraint \(constraint))" }
        return text
    }

    public var isUniqueViolation: Bool { sqlState == "23505" }
    public var isForeignKeyViolation: Bool { sqlState == "23503" }
    public var isNotNullViolation: Bool { sqlState == "23502" }
    public var isCheckViolation: Bool { sqlState == "23514" }
    public var isExclusionViolation: Bool { sqlState == "23P01" }
    /// A serializable transaction lost a race; retrying the whole transaction may succeed.
    public var isSerializationFailure: Bool { sqlState == "40001" }
    public var isDeadlock: Bool { sqlState == "40P01" }
    /// `lock_timeout` expired.
    public var isLockTimeout: Bool { sqlState == "55P03" }
    /// `statement_timeout` expired or the statement was cancelled.
    public var isQueryCanceled: Bool { sqlState == "57014" }
    public var isUndefinedTable: Bool { sqlState == "42P01" }
    /// A qualified name's schema does not exist.
    public var isInvalidSchemaName: Bool { sqlState == "3F000" }
    /// A table (or its schema) the statement names does not exist: what a
    /// statement meets in a schema not created yet. Inside an agency's scope
    /// the pool turns it into ``AgencyNotProvisioned`` when that is the cause.
    public var namesMissingRelation: Bool { isUndefinedTable || isInvalidSchemaName }
}
