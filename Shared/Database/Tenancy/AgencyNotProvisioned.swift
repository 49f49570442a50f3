import MusterCore

/// The agency has no schema in this service's database: Identity has not
/// provisioned it here yet (or never will: an unknown id). Thrown by
/// ``DatabasePool/withAgency(_:_:)``, ``DatabasePool/within(_:_:)`` and
/// ``DatabasePool/query(_:inAgency:)`` in place of PostgreSQL's error, so that
/// callers tell "not here yet, try later" from a fault without reading SQLSTATEs.
///
/// ```swift
/// do {
///     try await pool.withAgency(agency) { tx in try await store(batch, in: tx) }
/// } catch is AgencyNotProvisioned {
///     // leave the batch to its sender's outbox, which offers it again
/// }
/// ```
public struct AgencyNotProvisioned: Error, Sendable, Equatable, CustomStringConvertible {
    public let agency: AgencyID

    public init(agency: AgencyID) {
        self.agency = agency
    }

    public var description: String { "agency \(agency) is not provisioned here" }

    /// The error a scoped statement's failure stands for: PostgreSQL reports a
    /// missing schema as a missing table (`42P01`, an unqualified name on a
    /// `search_path` of nothing) or a missing schema (`3F000`, a qualified
    /// name). Either may also mean a table missing from a schema that exists
    /// (a bug, or a migration behind), so the catalog decides: asked on the
    /// failed transaction's connection, after its rollback, only on this path.
    nonisolated(nonsending) static func mapping(_ error: DatabaseError, in agency: AgencyID, on connection: Connection) async -> any Error {
        guard error.namesMissingRelation else { return error }
        let schema = SchemaName.agency(agency)
        let lookup = Statement("SELECT count(*) AS n FROM pg_namespace WHERE nspname = \(schema.rawValue)")
        guard let result = try? await connection.run(.one(lookup)),
              let count = try? Rows(result[0]).first?.decode("n", as: Int.self) else { return error }
        return count == 0 ? AgencyNotProvisioned(agency: agency) : error
    }
}
