import Foundation
import MusterCore
import MusterDatabase
import MusterTime

/// Sweeps each agency once a day at its local `reminder_hour`, whichever replica
/// claims it first (``SweepRegistry``). A sweep that fails is retried a few minutes
/// later; its reminders already queued stay sent once (their keys).
struct ReminderScheduler: Sendable {
    let pool: DatabasePool
    let registry: SweepRegistry
    let sweep: ReminderSweep
    let replica: String
    let tick: Duration
    let logger: Logger
    /// Agencies claimed per turn, and how long a claim lasts.
    static let claimLimit = 20
    static let lease = Duration.seconds(900)
    static let retryAfter: TimeInterval = 300

    func run() async {
        do {
            try await registry.register()
        } catch {
            logger.warning("reminder scheduler could not register agencies", ["error": "\(error)"])
        }
        while !Task.isCancelled {
            var busy = false
            do {
                let claims = try await registry.claimDue(limit: Self.claimLimit, lease: Self.lease, replica: replica)
                busy = claims.count == Self.claimLimit
                for claim in claims { await turn(claim) }
            } catch is CancellationError {
                return
            } catch {
                logger.warning("reminder scheduler could not claim sweeps", ["error": "\(error)"])
            }
            if !busy { try? await Task.sleep(for: tick) }
        }
    }

    /// One claimed agency: sweeps its due day, or only schedules its next turn.
    func turn(_ claim: SweepRegistry.Claim) async {
        var zone = claim.zone
        do {
            let hour = try await pool.withAgency(claim.agency) { tx in try await tx.setting(AgencySettingKeys.reminderHour) }
            let localHour = (0...23).contains(hour) ? hour : AgencySettingKeys.reminderHour.defaultValue
            guard let day = SweepSchedule.dueDay(now: Date(), zone: zone, hour: localHour, lastSwept: claim.lastSwept) else {
                try await release(claim, swept: nil, zone: zone, hour: localHour)
                return
            }
            // Records may know a new zone: the sweep goes on only if the day is due there too.
            let outcome = try await sweep.run(claim.agency, on: day, dryRun: false) { answered in
                answered == claim.zone || SweepSchedule.dueDay(now: Date(), zone: answered, hour: localHour, lastSwept: claim.lastSwept) == day
            }
            zone = outcome.zone
            if outcome.stopped {
                // Decided again at once, in the zone Records now gives.
                try await registry.release(claim.agency, replica: replica, swept: nil, zone: zone, nextAt: Date())
                return
            }
            logger.info("reminders swept", ["agency": claim.agency.description, "day": day.description,
                                             "items": String(outcome.items), "queued": String(outcome.queued),
                                             "digests": String(outcome.digests)])
            try await registry.release(claim.agency, replica: replica, swept: day, zone: zone,
                                       nextAt: SweepSchedule.nextRun(after: day, zone: zone, hour: localHour), slug: outcome.slug)
        } catch {
            logger.warning("reminder sweep failed; retried shortly", ["agency": claim.agency.description, "error": "\(error)"])
            try? await registry.release(claim.agency, replica: replica, swept: nil, zone: zone,
                                        nextAt: Date().addingTimeInterval(Self.retryAfter))
        }
    }

    private func release(_ claim: SweepRegistry.Claim, swept: CalendarDate?, zone: AgencyTimeZone, hour: Int) async throws {
        try await registry.release(claim.agency, replica: replica, swept: swept, zone: zone,
                                   nextAt: SweepSchedule.nextRun(now: Date(), zone: zone, hour: hour, lastSwept: claim.lastSwept))
    }
}
