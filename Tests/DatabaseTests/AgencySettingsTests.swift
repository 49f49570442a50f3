import Foundation
import MusterCore
import MusterDatabase
import Testing

/// Settings a service might declare, of the kinds the services use: a number,
/// a list, an optional text and a whole policy object.
private enum Keys {
    static let timeZone = AgencySettingKey("time_zone", default: "America/Chicago")
    static let reminderThresholds = AgencySettingKey("reminder_thresholds", default: [90, 60, 30])
    static let reminderHour = AgencySettingKey("reminder_hour", default: 8)
    static let replyTo = AgencySettingKey<String?>("reply_to", default: nil)
    static let policy = AgencySettingKey("policy", default: Policy(mfaRequired: false, sessionIdleMinutes: 720))
}

private struct Policy: Codable, Sendable, Equatable {
    var mfaRequired: Bool
    var sessionIdleMinutes: Int
}

@Suite(requiresDatabase) struct AgencySettingsTests {
    /// An agency schema with its settings table, as every service's agency migrations create it.
    private func agency(in pool: DatabasePool) async throws -> AgencyID {
        let agency = AgencyID()
        try await pool.execute("CREATE SCHEMA \(SchemaName.agency(agency))")
        try await pool.execute("""
            CREATE TABLE \(SchemaName.agency(agency)).agency_settings (key text PRIMARY KEY, value jsonb NOT NULL,
                                                                     updated_at timestamptz NOT NULL DEFAULT now())
            """)
        return agency
    }

    @Test func anAgencyThatChoseNothingHasTheDefaults() async throws {
        try await TestDatabase.withPool { pool in
            let agency = try await agency(in: pool)
            try await pool.withAgency(agency) { tx in
                #expect(try await tx.setting(Keys.timeZone) == "America/Chicago")
                #expect(try await tx.setting(Keys.reminderThresholds) == [90, 60, 30])
                #expect(try await tx.setting(Keys.replyTo) == nil)
                let (hour, policy) = try await tx.settings(Keys.reminderHour, Keys.policy)
                #expect(hour == 8)
                #expect(policy == Policy(mfaRequired: false, sessionIdleMinutes: 720))
            }
        }
    }

    @Test func storedValuesAreReadBackTypedAndStoredAsPlainJSON() async throws {
        try await TestDatabase.withPool { pool in
            let agency = try await agency(in: pool)
            try await pool.withAgency(agency) { tx in
                try await tx.set(Keys.timeZone, to: "America/Denver")
                try await tx.set(Keys.reminderThresholds, to: [30, 7])
                try await tx.set(Keys.replyTo, to: "training@metro.example")
                try await tx.set(Keys.policy, to: Policy(mfaRequired: true, sessionIdleMinutes: 60))
            }
            // Another transaction, all in one statement, in the order asked.
            let (zone, thresholds, hour, replyTo, policy) = try await pool.withAgency(agency) { tx in
                try await tx.settings(Keys.timeZone, Keys.reminderThresholds, Keys.reminderHour, Keys.replyTo, Keys.policy)
            }
            #expect(zone == "America/Denver")
            #expect(thresholds == [30, 7])
            #expect(hour == 8)
            #expect(replyTo == "training@metro.example")
            #expect(policy == Policy(mfaRequired: true, sessionIdleMinutes: 60))
            // The rows hold JSON in Muster's conventions (snake_case), as rows written before this store did.
            let raw = try await pool.query("""
                SELECT key, value FROM \(SchemaName.agency(agency)).agency_settings ORDER BY key
                """).map { "\(try $0.decode("key", as: String.self))=\(try $0.decode("value", as: String.self))" }
            #expect(raw == ["policy={\"mfa_required\": true, \"session_idle_minutes\": 60}", "reminder_thresholds=[30, 7]",
                            "reply_to=\"training@metro.example\"", "time_zone=\"America/Denver\""])
        }
    }

    @Test func rowsWrittenByHandReadAsTheirType() async throws {
        try await TestDatabase.withPool { pool in
            let agency = try await agency(in: pool)
            try await pool.execute("""
                INSERT INTO \(SchemaName.agency(agency)).agency_settings (key, value)
                VALUES ('reminder_hour', '6'), ('reply_to', '"ops@metro.example"')
                """)
            let (hour, replyTo) = try await pool.withAgency(agency) { tx in try await tx.settings(Keys.reminderHour, Keys.replyTo) }
            #expect(hour == 6)
            #expect(replyTo == "ops@metro.example")
        }
    }

    @Test func writingTheSameValueChangesNothingAndResetRestoresTheDefault() async throws {
        try await TestDatabase.withPool { pool in
            let agency = try await agency(in: pool)
            let table: SQL = "\(SchemaName.agency(agency)).agency_settings"
            func stamp() async throws -> String {
                try await pool.query("SELECT updated_at::text AS t FROM \(table) WHERE key = 'reminder_hour'")[0].decode("t", as: String.self)
            }
            try await pool.withAgency(agency) { tx in try await tx.set(Keys.reminderHour, to: 7) }
            let first = try await stamp()
            try await pool.withAgency(agency) { tx in try await tx.set(Keys.reminderHour, to: 7) }
            #expect(try await stamp() == first)
            try await pool.withAgency(agency) { tx in try await tx.set(Keys.reminderHour, to: 9) }
            #expect(try await stamp() != first)
            let afterReset = try await pool.withAgency(agency) { tx in
                try await tx.reset(Keys.reminderHour)
                return try await tx.setting(Keys.reminderHour)
            }
            #expect(afterReset == 8)
            #expect(try await pool.query("SELECT count(*) AS n FROM \(table)")[0].decode("n", as: Int.self) == 0)
        }
    }

    @Test func settingsAreAgencyDataOnly() async throws {
        try await TestDatabase.withPool { pool in
            let (first, second) = (try await agency(in: pool), try await agency(in: pool))
            try await pool.withAgency(first) { tx in try await tx.set(Keys.timeZone, to: "America/New_York") }
            #expect(try await pool.withAgency(second) { tx in try await tx.setting(Keys.timeZone) } == "America/Chicago")
            await #expect(throws: PoolError.notScopedToAgency) {
                try await pool.transaction { tx in try await tx.setting(Keys.timeZone) }
            }
            let unknown = AgencyID()
            await #expect(throws: AgencyNotProvisioned(agency: unknown)) {
                try await pool.withAgency(unknown) { tx in try await tx.setting(Keys.timeZone) }
            }
        }
    }
}
