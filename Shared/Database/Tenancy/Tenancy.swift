import MusterCore

/// Whose data a piece of work touches: the platform's (the `platform` schema:
/// registries, queues, agency-less records) or one agency's (its own schema).
/// The tenancy rule in one type: agency data is reached only through
/// ``DatabasePool/within(_:_:)`` with `.agency`, which is
/// ``DatabasePool/withAgency(_:_:)``, and the agency comes from a verified
/// token or from the platform's own records, never from a request's URL or body.
///
/// Code that serves both (mail with or without an agency, a batch handed over
/// by another service's outbox) keeps a `Tenancy` rather than an optional id:
///
/// ```swift
/// let tenancy = Tenancy(request.agencyID)                  // nil → .platform
/// try await pool.within(tenancy) { tx in
///     try await tx.execute("INSERT INTO \(tenancy.schema).messages (id) VALUES (\(id))")
/// }
/// ```
public enum Tenancy: Hashable, Sendable, CustomStringConvertible {
    /// The platform's own data, in the `platform` schema.
    case platform
    /// One agency's data, in its own schema.
    case agency(AgencyID)

    /// `.agency(id)`, or `.platform` for `nil` (an agency-less record).
    public init(_ agency: AgencyID?) {
        self = agency.map(Tenancy.agency) ?? .platform
    }

    /// The agency; `nil` for the platform.
    public var agencyID: AgencyID? {
        if case .agency(let id) = self { return id }
        return nil
    }

    /// The schema that holds this tenancy's tables.
    public var schema: SchemaName {
        switch self {
        case .platform: .platform
        case .agency(let id): .agency(id)
        }
    }

    /// The agency's id, or `platform`: how logs name it.
    public var description: String { agencyID?.description ?? "platform" }
}

extension DatabasePool {
    /// Runs `body` in one transaction within `tenancy`: for an agency, scoped
    /// to its schema (``withAgency(_:_:)``: unqualified names resolve there and
    /// nowhere else); for the platform, a plain transaction (write
    /// `\(SchemaName.platform).table`, or `\(tenancy.schema).table` where the
    /// same table exists in both). Throws ``AgencyNotProvisioned`` when the
    /// agency has no schema in this database.
    ///
    /// ```swift
    /// let stored = try await pool.within(Tenancy(message.agencyID)) { tx in try await store(message, in: tx) }
    /// ```
    nonisolated(nonsending) public func within<Value>(_ tenancy: Tenancy, _ body: nonisolated(nonsending) (Transaction) async throws -> Value) async throws -> Value {
        switch tenancy {
        case .platform: try await transaction(touching: nil, scoped: false, body)
        case .agency(let id): try await transaction(touching: id, scoped: true, body)
        }
    }
}
