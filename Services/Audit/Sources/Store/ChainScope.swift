import MusterDatabase

extension DatabasePool {
    /// Runs `body` in one transaction scoped to the chain's schema
    /// (``DatabasePool/withAgency(_:_:)``); a missing schema is ``ChainNotProvisioned``.
    ///
    /// ```swift
    /// let head = try await pool.withChain(.agency(id)) { tx in try await tx.query("SELECT seq FROM chain_head") }
    /// ```
    func withChain<Value>(_ chain: AuditChain, _ body: (Transaction) async throws -> Value) async throws -> Value {
        try await mappingMissingSchema(chain) { try await withAgency(chain.storageID, body) }
    }

    /// One statement in the chain's schema, in one round trip (``DatabasePool/query(_:inAgency:)``).
    func withChain(_ chain: AuditChain, statement: SQL) async throws -> Rows {
        try await mappingMissingSchema(chain) { try await query(statement, inAgency: chain.storageID) }
    }

    private func mappingMissingSchema<Value>(_ chain: AuditChain, _ body: () async throws -> Value) async throws -> Value {
        do {
            return try await body()
        } catch let error as DatabaseError where error.sqlState == "42P01" || error.sqlState == "3F000" {
            throw ChainNotProvisioned(chain: chain)
        }
    }
}

/// The chain's agency has no schema here (not provisioned yet, or unknown).
public struct ChainNotProvisioned: Error, CustomStringConvertible {
    public let chain: AuditChain
    public var description: String { "no audit chain for agency \(chain)" }
}
