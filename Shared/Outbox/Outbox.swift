import Foundation
import MusterContracts
import MusterCore
import MusterDatabase

/// Writes audit events and email requests into the service's outbox table
/// (`platform.outbox`) **in the caller's transaction**, so they exist exactly when
/// the change that caused them commits. An `OutboxRelay` delivers them later, to
/// the destination's `OutboxReceiver`. The table is Shared's migration
/// `Includes/platform/outbox.sql`, which each service that writes here includes.
///
/// ```swift
/// try await pool.withAgency(agency) { tx in
///     try await tx.execute("UPDATE users SET roles = \(roles) WHERE id = \(id)")
///     try await Outbox.enqueue(AuditEvent(agencyID: agency, actor: actor, action: "user.role.changed", …), in: tx)
/// }
/// ```
public enum Outbox {
    public static func enqueue(_ event: AuditEvent, in tx: some SQLQuerying) async throws {
        try await insert(id: event.id.uuid, topic: OutboxTopic.auditEvents, agency: event.agencyID, payload: event.json, in: tx)
    }

    /// Several audit events in one statement (e.g. one per message of a batch).
    public static func enqueue(_ events: [AuditEvent], in tx: some SQLQuerying) async throws {
        guard !events.isEmpty else { return }
        try await tx.execute("""
            INSERT INTO \(SchemaName.platform).outbox (id, topic, agency_id, payload)
            SELECT (event->>'id')::uuid, \(OutboxTopic.auditEvents.rawValue), (event->>'agency_id')::uuid, event
            FROM jsonb_array_elements(\("[" + events.map(\.json).joined(separator: ",") + "]")::jsonb) AS event
            """)
    }

    public static func enqueue(_ email: EmailRequest, in tx: some SQLQuerying) async throws {
        try await insert(id: email.id.uuid, topic: OutboxTopic.emails, agency: email.agencyID,
                         payload: String(decoding: try JSONCoding.encode(email), as: UTF8.self), in: tx)
    }

    /// `payload` is JSON text.
    private static func insert(id: UUID, topic: OutboxTopic, agency: AgencyID?, payload: String,
                               in tx: some SQLQuerying) async throws {
        try await tx.execute("""
            INSERT INTO \(SchemaName.platform).outbox (id, topic, agency_id, payload)
            VALUES (\(id), \(topic.rawValue), \(agency), \(payload)::jsonb)
            """)
    }
}
