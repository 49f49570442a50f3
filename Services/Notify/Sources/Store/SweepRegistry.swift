import Foundation
import MusterCore
import MusterDatabase
import MusterTime

/// Each agency's daily reminder sweep (`platform.reminder_sweeps`): when it is next
/// due and the last local day swept, claimed by one replica at a time with a lease.
///
/// ```swift
/// for sweep in try await registry.claimDue(limit: 20, lease: .seconds(600), replica: name) {
///     … try await registry.finish(sweep.agency, swept: day, zone: zone, nextAt: next, slug: slug)
/// }
/// ```
struct SweepRegistry: Sendable {
    /// One claimed agency and what the registry knows of it.
    struct Claim: Sendable {
        var agency: AgencyID
        var lastSwept: CalendarDate?
        var zone: AgencyTimeZone
    }

    let pool: DatabasePool

    /// Adds the agencies this service has schemas for and no sweep row yet (due at once:
    /// the first turn learns the agency's zone and waits for its local hour).
    func register(_ agency: AgencyID? = nil, slug: String? = nil) async throws {
        if let agency {
            _ = try await pool.execute("""
                INSERT INTO \(SchemaName.platform).reminder_sweeps (agency_id, slug) VALUES (\(agency), \(slug))
                ON CONFLICT (agency_id) DO UPDATE SET slug = excluded.slug
                """)
        } else {
            _ = try await pool.execute("""
                INSERT INTO \(SchemaName.platform).reminder_sweeps (agency_id)
                SELECT agency_id FROM \(SchemaName.platform).agency_schemas ON CONFLICT (agency_id) DO NOTHING
                """)
        }
    }

    /// Claims up to `limit` agencies whose sweep is due and not claimed by a live lease.
    func claimDue(limit: Int, lease: Duration, replica: String) async throws -> [Claim] {
        try await pool.query("""
            UPDATE \(SchemaName.platform).reminder_sweeps SET claimed_by = \(replica),
                   claimed_until = now() + \(lease.microseconds) * interval '1 microsecond'
            WHERE agency_id IN (
                SELECT agency_id FROM \(SchemaName.platform).reminder_sweeps
                WHERE next_at <= now() AND (claimed_until IS NULL OR claimed_until < now())
                ORDER BY next_at LIMIT \(limit) FOR UPDATE SKIP LOCKED)
            RETURNING agency_id, last_swept_on, time_zone
            """).map {
            Claim(agency: try $0.decode("agency_id"), lastSwept: try $0.decode("last_swept_on"),
                  zone: AgencyTimeZone(try $0.decode("time_zone", as: String.self)) ?? .default)
        }
    }

    /// Releases a claim: the next turn at `nextAt`; `swept` when a day was swept, `zone` as Records said.
    func release(_ agency: AgencyID, replica: String, swept: CalendarDate?, zone: AgencyTimeZone, nextAt: Date,
                 slug: String? = nil) async throws {
        _ = try await pool.execute("""
            UPDATE \(SchemaName.platform).reminder_sweeps
            SET next_at = \(nextAt), time_zone = \(zone.identifier), last_swept_on = coalesce(\(swept), last_swept_on),
                slug = coalesce(\(slug), slug),
                claimed_by = NULL, claimed_until = NULL
            WHERE agency_id = \(agency) AND claimed_by = \(replica)
            """)
    }

    /// The agencies with this slug (normally one), or every agency.
    func agencies(slug: String?) async throws -> [AgencyID] {
        let rows = if let slug {
            try await pool.query("SELECT agency_id FROM \(SchemaName.platform).reminder_sweeps WHERE slug = \(slug) ORDER BY agency_id")
        } else {
            try await pool.query("SELECT agency_id FROM \(SchemaName.platform).agency_schemas ORDER BY agency_id")
        }
        return try rows.map { try $0.decode("agency_id", as: AgencyID.self) }
    }
}
