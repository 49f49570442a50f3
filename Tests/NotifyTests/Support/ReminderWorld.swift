import Foundation
import MusterCore
import MusterTestSupport
import MusterTime
import NotifyService

/// Identity, Records, Audit and Notify on a real SMTP server, one agency, and helpers to
/// put people and certifications into Records (straight into its schema: the reminder
/// pipeline is under test, not Records' API) and to run `notify sweep-reminders`.
struct ReminderWorld {
    let smtp: SMTPServer
    let platform: Platform
    let agency: AgencyFixture

    /// `tickMS`: how often Notify's scheduler looks for due sweeps (an hour: it stays out of the way).
    static func start(smtp: SMTPServer, tickMS: Int = 3_600_000) async throws -> ReminderWorld {
        var environment = NotifyPlatform.fastDelivery
        environment["MUSTER_SMTP_URL"] = smtp.url
        environment["MUSTER_NOTIFY_REMINDER_TICK_MS"] = String(tickMS)
        // Where the fixtures look for invitation emails Notify already took from Identity's outbox.
        environment["MUSTER_MAIL_DIR"] = smtp.folder.path
        let platform = try await Platform.start([.identity, .records, .audit, .notify], extraEnvironment: environment)
        do {
            let agency = try await platform.createAgency(waitUntilActive: true)
            return ReminderWorld(smtp: smtp, platform: platform, agency: agency)
        } catch {
            platform.stop()
            throw error
        }
    }

    func stop() { platform.stop() }

    var schema: String { "agency_" + agency.id.replacingOccurrences(of: "-", with: "") }

    func records(_ sql: String) throws -> String { try Command.psql(sql, database: platform.databaseName(.records)) }
    func notify(_ sql: String) throws -> String { try Command.psql(sql, database: platform.databaseName(.notify)) }

    /// A person (with their own address, or linked to a login), optionally in a unit.
    @discardableResult
    func person(_ name: String, email: String?, user: String? = nil, unit: String? = nil) throws -> String {
        let id = UUID().lowercasedText
        let parts = name.split(separator: " ")
        _ = try records("""
            INSERT INTO \(schema).personnel (id, badge_number, first_name, last_name, email, hire_date, user_id, unit_id)
            VALUES ('\(id)', '\(id.prefix(8))', '\(parts[0])', '\(parts[1])', \(email.map { "'\($0)'" } ?? "NULL"), '2010-01-01',
                    \(user.map { "'\($0)'" } ?? "NULL"), \(unit.map { "'\($0)'" } ?? "NULL"))
            """)
        return id
    }

    /// A unit supervised by `supervisor` (a login).
    func unit(supervisedBy supervisor: String) throws -> String {
        let id = UUID().lowercasedText
        _ = try records("""
            INSERT INTO \(schema).units (id, name) VALUES ('\(id)', 'Patrol \(id.prefix(4))');
            INSERT INTO \(schema).unit_supervisors (unit_id, user_id, created_by) VALUES ('\(id)', '\(supervisor)', '\(supervisor)')
            """)
        return id
    }

    func certificationType(_ name: String) throws -> String {
        let id = UUID().lowercasedText
        _ = try records("""
            INSERT INTO \(schema).certification_types (id, code, name, validity_months)
            VALUES ('\(id)', 'c\(id.prefix(8))', '\(name)', 24)
            """)
        return id
    }

    /// A requirement of kind `certification` naming `type` (the compliance engine's), in force since 2000.
    @discardableResult
    func certificationRequirement(_ name: String, type: String, mandatory: Bool) throws -> String {
        let id = UUID().lowercasedText
        let actor = agency.admin.id
        _ = try records("""
            INSERT INTO \(schema).requirements (id, code, kind, created_by) VALUES ('\(id)', 'r\(id.prefix(8))', 'certification', '\(actor)');
            INSERT INTO \(schema).requirement_versions (requirement_id, version, name, params, effective_from, mandatory, created_by)
            VALUES ('\(id)', 1, '\(name)', '{"certification_type_id":"\(type)","initial_days":0}', '2000-01-01', \(mandatory), '\(actor)')
            """)
        return id
    }

    /// A certification of `type` held by `person`, expiring on `expires`.
    @discardableResult
    func certify(_ person: String, type: String, issued: CalendarDate, expires: CalendarDate, renews: String? = nil) throws -> String {
        let id = UUID().lowercasedText
        let actor = agency.admin.id
        _ = try records("""
            INSERT INTO \(schema).certifications (id, person_id, type_id, issued_on, expires_on, renews_id, created_by, updated_by)
            VALUES ('\(id)', '\(person)', '\(type)', '\(issued)', '\(expires)', \(renews.map { "'\($0)'" } ?? "NULL"), '\(actor)', '\(actor)')
            """)
        return id
    }

    /// `notify sweep-reminders --agency SLUG --as-of DAY`; throws unless it succeeds.
    @discardableResult
    func sweep(_ day: CalendarDate, dryRun: Bool = false) throws -> CommandResult {
        let result = try platform.runCommand(.notify, ["sweep-reminders", "--agency", agency.slug, "--as-of", day.description]
            + (dryRun ? ["--dry-run"] : []))
        guard result.status == 0 else { throw FixtureFailure("sweep-reminders \(day) exited \(result.status): \(result.stderr)") }
        return result
    }

    /// The sweep started as a process, to run beside others.
    func startSweep(_ day: CalendarDate) throws -> Process {
        let process = Process()
        process.executableURL = TestEnvironment.binaries.appendingPathComponent("notify")
        process.arguments = ["sweep-reminders", "--agency", agency.slug, "--as-of", day.description]
        process.environment = platform.environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Every message the SMTP server got so far, parsed.
    func mail() throws -> [ParsedMail] {
        try MailOracle.parse(try smtp.deliveries().map { smtp.folder.appendingPathComponent($0.file) })
    }

    /// Waits until Notify has sent every reminder message it queued, then returns the mail to `address`.
    func mail(to address: String) async throws -> [ParsedMail] {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            let pending = try notify("SELECT count(*) FROM \(schema).messages WHERE status <> 'sent'")
            if pending == "0" { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        return try mail().filter { $0.toAddress == address }
    }

    /// The thresholds recorded for one person's item, in the order sent.
    func thresholds(person: String, kind: String = "officer") throws -> [Int] {
        try notify("""
            SELECT string_agg(threshold::text, ',' ORDER BY created_at, threshold DESC) FROM \(schema).reminders
            WHERE person_id = '\(person)' AND recipient_kind = '\(kind)'
            """).split(separator: ",").compactMap { Int($0) }
    }
}
