import Foundation
import MusterContracts
import MusterCore
import MusterDatabase
import MusterTime

/// One agency's reminder sweep for one local day, shared by the scheduler and
/// `notify sweep-reminders`: asks Records for the items due around the day, decides
/// what to send (``ReminderPlanner``) and, per page, writes each reminder's unique key
/// and queues its email in one transaction. Run twice, concurrently, or again after a
/// kill, it sends every reminder once.
///
/// ```swift
/// let outcome = try await sweep.run(agency, on: day, dryRun: false)   // outcome.queued emails queued
/// ```
struct ReminderSweep: Sendable {
    let pool: DatabasePool
    let intake: MessageIntake
    let directory: AgencyDirectory

    /// What a sweep did (or, dry, would do).
    struct Outcome: Sendable {
        var zone: AgencyTimeZone = .default
        var slug: String?
        var items = 0
        var planned: [PlannedReminder] = []
        var queued = 0
        var digests = 0
        /// `proceed` stopped the sweep: nothing was written.
        var stopped = false
    }

    /// Sweeps `day`; `proceed` may stop it after the first page, once the agency's zone
    /// is known (the scheduler checks the day is still due in that zone).
    func run(_ agency: AgencyID, on day: CalendarDate, dryRun: Bool,
             proceed: @Sendable (AgencyTimeZone) -> Bool = { _ in true }) async throws -> Outcome {
        let scope = Tenancy(agency)
        let (settings, mutes, profile, digestDue) = try await pool.withAgency(agency) { tx in
            let settings = try await Self.settings(in: tx)
            let weekOf = settings.digestWeekday.latest(onOrBefore: day)
            return (settings, try await ReminderStore.mutes(in: tx), try await AgencyProfileStore.load(in: tx),
                    try await !ReminderStore.digestSent(weekOf: weekOf, in: tx))
        }
        var outcome = Outcome(slug: profile.slug)
        var window = settings.window(on: day)
        // The digest lists everyone overdue, however long ago: its week looks back a year.
        if digestDue { window = day.addingDays(-366)...window.upperBound }
        var digest: [DueItem] = []
        var first = true
        try await directory.dueItems(agency, window: window, asOf: day) { page in
            if first {
                first = false
                outcome.zone = AgencyTimeZone(page.timeZone) ?? .default
                guard proceed(outcome.zone) else {
                    outcome.stopped = true
                    return false
                }
            }
            outcome.items += page.items.count
            if digestDue { digest += page.items.filter { DigestRules.lists($0, on: day) } }
            let inWindow = page.items.filter { settings.window(on: day).contains($0.dueOn) }
            try await pool.within(scope) { tx in
                let history = try await ReminderStore.history(of: inWindow, in: tx)
                let planned = ReminderPlanner.plan(inWindow, on: day, settings: settings, history: history, muted: mutes)
                outcome.planned += planned
                guard !dryRun, !planned.isEmpty else { return }
                let keyed = planned.map { ($0, MessageID()) }
                let won = try await ReminderStore.claim(keyed, sweptOn: day, in: tx)
                let requests = keyed.filter { won.contains($0.1) }
                    .map { Self.email($0.0, id: $0.1, agency: agency, day: day, zone: outcome.zone) }
                try await intake.store(requests, scope: scope, caller: .notify, in: tx)
                outcome.queued += requests.count
            }
            return true
        }
        if digestDue, !dryRun, !outcome.stopped {
            outcome.digests = try await sendDigest(agency, items: digest, on: day, weekOf: settings.digestWeekday.latest(onOrBefore: day))
        }
        return outcome
    }

    private func sendDigest(_ agency: AgencyID, items: [DueItem], on day: CalendarDate, weekOf: CalendarDate) async throws -> Int {
        guard !items.isEmpty else { return 0 }
        let coordinators = try await directory.coordinators(agency)
        let sorted = items.sorted { ($0.dueOn, $0.personName, $0.item.name) < ($1.dueOn, $1.personName, $1.item.name) }
        let data = ["as_of": day.description, "digest_count": String(sorted.count),
                    "digest_items": sorted.map { ReminderWording.digestLine($0, on: day) }.joined(separator: "\n")]
        return try await pool.within(Tenancy(agency)) { tx in
            var requests: [EmailRequest] = []
            for coordinator in try await ReminderStore.digestRecipients(coordinators, weekOf: weekOf, in: tx) {
                guard let user = coordinator.userID else { continue }
                let request = EmailRequest(agencyID: agency, template: TemplateName.digest.rawValue, recipient: coordinator, data: data)
                if try await ReminderStore.claimDigest(weekOf: weekOf, recipient: user, message: request.id, in: tx) { requests.append(request) }
            }
            try await intake.store(requests, scope: Tenancy(agency), caller: .notify, in: tx)
            return requests.count
        }
    }

    /// The email of one planned reminder.
    static func email(_ reminder: PlannedReminder, id: MessageID, agency: AgencyID, day: CalendarDate, zone: AgencyTimeZone) -> EmailRequest {
        let item = reminder.item
        let template: TemplateName = reminder.kind == .officer ? .reminder : .reminderSupervisor
        return EmailRequest(id: id, agencyID: agency, template: template.rawValue, recipient: reminder.recipient, data: [
            "item_name": item.item.name, "due_on": item.dueOn.description, "days_left": String(day.days(until: item.dueOn)),
            "threshold": String(reminder.threshold), "missing": ReminderWording.missing(item.missing, kind: item.kind),
            "person_name": item.personName, "person_id": item.personID.description, "time_zone": zone.identifier,
        ])
    }

    /// The agency's reminder settings; a stored value out of range falls back to its default.
    static func settings(in tx: Transaction) async throws -> ReminderSettings {
        let (thresholds, copyFrom, weekday) = try await tx.settings(AgencySettingKeys.reminderThresholds,
                                                                    AgencySettingKeys.supervisorCopyFromDays,
                                                                    AgencySettingKeys.digestWeekday)
        return ReminderSettings(thresholds: ReminderThresholds(thresholds) ?? .standard,
                                supervisorCopyFromDays: ReminderThresholds.bounds.contains(copyFrom) ? copyFrom : 30,
                                digestWeekday: weekday)
    }
}
