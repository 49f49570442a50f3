import MusterCore
import MusterDatabase
import MusterTime

/// The agencies Audit keeps chains for (`platform.agencies`) and their scheduled
/// jobs (`platform.jobs`), claimed by whichever replica comes first.
///
/// ```swift
/// try await registry.record(.agency(id), slug: "metro-pd", name: "Metro PD", jobs: [.checkpoint: .now, …])
/// for chain in try await registry.claimDue(.checkpoint, limit: 20, nextIn: .seconds(3600)) { … }
/// ```
public struct AgencyRegistry: Sendable {
    public enum Job: String, Sendable, CaseIterable {
        case checkpoint, digest, retention
    }

    let pool: DatabasePool

    public init(pool: DatabasePool) { self.pool = pool }

    /// Records (or renames) the chain's agency and schedules `jobs` (first run after
    /// the given delay) unless already scheduled.
    public func record(_ chain: AuditChain, slug: String, name: String, jobs: [Job: Duration]) async throws {
        let id = chain.storageID
        let names = jobs.keys.map(\.rawValue)
        let delays = jobs.keys.map { jobs[$0]!.microseconds }
        try await pool.transaction { tx in
            try await tx.execute("""
                INSERT INTO \(SchemaName.platform).agencies (id, slug, name) VALUES (\(id), \(slug), \(name))
                ON CONFLICT (id) DO UPDATE SET slug = excluded.slug, name = excluded.name
                """)
            try await tx.execute("""
                INSERT INTO \(SchemaName.platform).jobs (agency_id, job, next_at)
                SELECT \(id), j.job, now() + j.delay_us * interval '1 microsecond'
                FROM unnest(\(names), \(delays)) AS j(job, delay_us)
                ON CONFLICT (agency_id, job) DO NOTHING
                """)
        }
    }

    /// The chains whose agency has this slug (normally one).
    public func chains(slug: String) async throws -> [AuditChain] {
        try await pool.query("SELECT id FROM \(SchemaName.platform).agencies WHERE slug = \(slug) ORDER BY provisioned_at")
            .map { AuditChain(agency: try $0.decode("id", as: AgencyID.self)) }
    }

    /// The agency's name as provisioned.
    public func name(of chain: AuditChain) async throws -> String? {
        try await pool.query("SELECT name FROM \(SchemaName.platform).agencies WHERE id = \(chain.storageID)")
            .first?.decode("name", as: String.self)
    }

    /// Claims up to `limit` chains whose `job` is due, moving each one's next run
    /// `nextIn` ahead: a job that then fails waits for its next turn.
    public func claimDue(_ job: Job, limit: Int, nextIn: Duration) async throws -> [AuditChain] {
        try await pool.query("""
            UPDATE \(SchemaName.platform).jobs SET next_at = now() + \(nextIn.microseconds) * interval '1 microsecond'
            WHERE (agency_id, job) IN (
                SELECT agency_id, job FROM \(SchemaName.platform).jobs
                WHERE job = \(job.rawValue) AND next_at <= now()
                ORDER BY next_at LIMIT \(limit)
                FOR UPDATE SKIP LOCKED)
            RETURNING agency_id
            """).map { AuditChain(agency: try $0.decode("agency_id", as: AgencyID.self)) }
    }

    /// Makes `job` due now for the chain (tests and operators).
    public func makeDue(_ job: Job, for chain: AuditChain) async throws {
        try await pool.execute("""
            UPDATE \(SchemaName.platform).jobs SET next_at = now() WHERE agency_id = \(chain.storageID) AND job = \(job.rawValue)
            """)
    }
}
