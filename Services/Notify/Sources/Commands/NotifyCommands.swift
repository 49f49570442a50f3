import Foundation
import MusterContracts
import MusterCore
import MusterService
import MusterTime

/// Notify's admin subcommands.
///
/// ```sh
/// notify sweep-reminders --agency metro-pd --as-of 2025-03-01 [--dry-run]   # one agency, one day
/// notify sweep-reminders --all --as-of 2025-03-01                           # every agency
/// ```
enum NotifyCommands {
    static let all: [ServiceCommand<NotifyRuntime>] = [sweepReminders]

    /// The scheduler's sweep for a day given by hand (ops re-running a missed day), with
    /// the same exactly-once keys; `--dry-run` prints what would be sent as JSON lines
    /// and writes nothing.
    static let sweepReminders = ServiceCommand<NotifyRuntime>(
        name: "sweep-reminders", summary: "--agency SLUG|--all --as-of YYYY-MM-DD [--dry-run]: run the reminder sweep of a day"
    ) { notify, arguments in
        let options = CommandOptions(arguments)
        let usage = "sweep-reminders --agency SLUG|--all --as-of YYYY-MM-DD [--dry-run]"
        guard let text = options["--as-of"], let day = CalendarDate(text) else { return fail(usage) }
        let slug = options["--agency"]
        guard (slug == nil) == options.has("--all") else { return fail(usage) }
        let agencies = try await notify.sweeps.agencies(slug: slug)
        if let slug, agencies.count != 1 {
            return fail(agencies.isEmpty ? "no agency with slug \(slug) is provisioned in notify" : "several agencies have slug \(slug)",
                        status: 3)
        }
        let dryRun = options.has("--dry-run")
        var failures: Int32 = 0
        for agency in agencies {
            do {
                let outcome = try await notify.reminderSweep.run(agency, on: day, dryRun: dryRun)
                if dryRun {
                    for reminder in outcome.planned { print(String(decoding: try JSONCoding.encode(DryRunLine(reminder, agency: agency, day: day)), as: UTF8.self)) }
                } else {
                    FileHandle.standardError.write(Data("\(agency): \(outcome.items) items, \(outcome.queued) reminders queued, \(outcome.digests) digests\n".utf8))
                }
            } catch {
                failures += 1
                FileHandle.standardError.write(Data("\(agency): sweep failed: \(error)\n".utf8))
            }
        }
        return failures == 0 ? 0 : 1
    }

    /// One line of a dry run.
    struct DryRunLine: Encodable {
        var agencyID: AgencyID
        var day: CalendarDate
        var personID: PersonID
        var itemID: DueItemID
        var itemName: String
        var dueOn: CalendarDate
        var threshold: Int
        var recipientKind: RecipientKind
        var recipient: String

        init(_ reminder: PlannedReminder, agency: AgencyID, day: CalendarDate) {
            agencyID = agency
            self.day = day
            personID = reminder.item.personID
            itemID = reminder.item.item.id
            itemName = reminder.item.item.name
            dueOn = reminder.item.dueOn
            threshold = reminder.threshold
            recipientKind = reminder.kind
            recipient = reminder.recipient.address
        }
    }

    private static func fail(_ text: String, status: Int32 = 2) -> Int32 {
        FileHandle.standardError.write(Data((status == 2 ? "usage: notify \(text)" : text).utf8 + [10]))
        return status
    }
}
