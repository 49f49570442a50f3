import MusterDatabase

extension DatabasePool {
    /// Runs `body` in one transaction scoped to the chain's schema
    /// (``DatabasePool/withAgency(_:_:)`` with the chain's storage id); a missing
    /// schema is ``AgencyNotProvisioned``.
    ///
    /// ```swift
    /// let head = try await pool.withChain(.agency(id)) { tx in try await tx.query("SELECT seq FROM chain_head") }
    /// ```
    func withChain<Value>(_ chain: AuditChain, _ body: (Transaction) async throws -> Value) async throws -> Value {
        try await withAgency(chain.storageID, body)
    }

    /// One statement in the chain's schema, in one round trip (``DatabasePool/query(_:inAgency:)``).
    func withChain(_ chain: AuditChain, statement: SQL) async throws -> Rows {
        try await query(statement, inAgency: chain.storageID)
    }
}
