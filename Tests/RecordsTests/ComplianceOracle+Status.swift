import MusterCore
import MusterTime
import RecordsService

extension ComplianceOracle {
    /// The spec's status of one requirement for one person on `asOf`, step by step.
    func line(_ requirement: ComplianceRequirement, _ history: PersonHistory, asOf: CalendarDate) -> Line {
        let person = history.person
        if person.status == .separated || asOf < person.hireDate { return Self.notApplicable }
        let firstFrom = requirement.versions.map(\.effectiveFrom).min()!
        let lastTo = requirement.versions.map { $0.effectiveTo ?? CalendarDate.range.upperBound }.max()!
        guard firstFrom <= asOf, asOf <= lastTo, let current = versionInForce(requirement, on: asOf) else { return Self.notApplicable }
        let waivers = history.waivers.filter { $0.requirementID == requirement.id }.sorted { $0.id < $1.id }
        if let rule = current.params.period {
            return periodLine(requirement, rule, history, waivers, asOf: asOf)
        }
        guard applies(current, to: person) else { return Self.notApplicable }
        var line: Line
        let firstDue = max(person.hireDate, firstFrom)
        func dated(_ due: CalendarDate, otherwise: RequirementStatus) -> RequirementStatus {
            asOf > due ? .overdue : (due.daysSinceEpoch - asOf.daysSinceEpoch <= Int64(current.dueSoonDays) ? .dueSoon : otherwise)
        }
        switch current.params {
        case .recurring(let every, let training, let initial):
            let qualifying = history.records.filter { counts($0, asOf: asOf) && $0.outcome == .passed && matches($0, training) }
            if let latest = qualifying.max(by: { ($0.completedOn, $0.id) < ($1.completedOn, $1.id) }) {
                let due = Self.addMonths(latest.completedOn, every)
                line = Line(status: dated(due, otherwise: .met), dueOn: due, lastCompletedOn: latest.completedOn, contributing: [latest.id.description])
            } else {
                let due = firstDue.addingDays(initial)
                line = Line(status: dated(due, otherwise: .inProgress), dueOn: due)
            }
        case .certification(let type, let initial):
            let held = history.certifications.filter { !$0.voided && $0.typeID == type && $0.issuedOn <= asOf }
            if let lifetime = held.filter({ $0.expiresOn == nil }).max(by: { ($0.issuedOn, $0.id) < ($1.issuedOn, $1.id) }) {
                line = Line(status: .met, contributing: [lifetime.id.description])
            } else if let best = held.max(by: { ($0.expiresOn!, $0.issuedOn, $0.id) < ($1.expiresOn!, $1.issuedOn, $1.id) }) {
                let expires = best.expiresOn!
                line = Line(status: dated(expires, otherwise: .met), dueOn: expires, expiresOn: expires, contributing: [best.id.description])
            } else {
                let due = firstDue.addingDays(initial)
                line = Line(status: dated(due, otherwise: .inProgress), dueOn: due)
            }
        case .policy(let policyID, let within):
            let published = policies.filter { $0.policyID == policyID && $0.publishedOn <= asOf }
            guard let latest = published.max(by: { ($0.publishedOn, $0.version) < ($1.publishedOn, $1.version) }) else { return Self.notApplicable }
            let due = max(latest.publishedOn, person.hireDate).addingDays(within)
            let acknowledged = history.acknowledgements.contains {
                $0.policyID == policyID && $0.version == latest.version && $0.acknowledgedOn <= asOf
            }
            line = Line(status: acknowledged ? .met : dated(due, otherwise: .inProgress), dueOn: due)
        case .hours, .completion:
            fatalError("period kinds are judged above")
        }
        if let waiver = waivers.first(where: { if case .until(let until) = $0.scope { asOf <= until } else { false } }) {
            line.status = .waived
            line.waiverID = waiver.id
        }
        return line
    }

    /// Steps 1–5 of the spec's Status for `hours` and `completion`.
    private func periodLine(_ requirement: ComplianceRequirement, _ rule: PeriodRule, _ history: PersonHistory, _ waivers: [ComplianceWaiver],
                            asOf: CalendarDate) -> Line {
        guard let (current, previous) = periods(rule, asOf: asOf, person: history.person) else { return Self.notApplicable }
        func waiver(of period: CompliancePeriod) -> ComplianceWaiver? {
            waivers.first { $0.scope == .period(endsOn: period.endsOn) }
        }
        if let previous, let judged = judge(requirement, previous, history, asOf: asOf), judged.subject, !judged.met, waiver(of: previous) == nil {
            return judged.line(.overdue)
        }
        let judged = judge(requirement, current, history, asOf: asOf)
        if let waiver = waiver(of: current) {
            var line = judged?.line(.waived) ?? Line(status: .waived, dueOn: current.endsOn, period: current)
            line.waiverID = waiver.id
            return line
        }
        guard let judged, judged.subject else { return Self.notApplicable }
        if judged.met { return judged.line(.met) }
        let left = current.endsOn.daysSinceEpoch - asOf.daysSinceEpoch
        return judged.line(left <= Int64(judged.dueSoonDays) ? .dueSoon : .inProgress)
    }

    struct Judgment {
        var subject: Bool
        var met: Bool
        var dueSoonDays: Int
        var period: CompliancePeriod
        var required: Int64?
        var completed: Int64?
        var progress: [CategoryProgress]?
        var contributing: [String]

        func line(_ status: RequirementStatus) -> Line {
            Line(status: status, dueOn: period.endsOn, period: period, requiredHours: required.map(QuarterHours.init(quarters:)),
                 completedHours: completed.map(QuarterHours.init(quarters:)),
                 remainingHours: required.map { QuarterHours(quarters: max(0, $0 - completed!)) }, categoryProgress: progress,
                 contributing: contributing)
        }
    }

    /// One period under the version in force on its last day; nil when none (or one of another kind) is.
    private func judge(_ requirement: ComplianceRequirement, _ period: CompliancePeriod, _ history: PersonHistory, asOf: CalendarDate) -> Judgment? {
        guard let version = versionInForce(requirement, on: period.endsOn) else { return nil }
        let person = history.person
        let inside = history.records.filter { counts($0, asOf: asOf) && period.startsOn <= $0.completedOn && $0.completedOn <= period.endsOn }
        var subject = applies(version, to: person) && period.endsOn >= person.hireDate
        var prorated: Int64?
        let newHires: NewHireRule
        switch version.params {
        case .hours(_, _, _, let rule), .completion(_, _, _, let rule): newHires = rule
        default: return nil
        }
        if subject && person.hireDate > period.startsOn {
            switch newHires {
            case .full: break
            case .exempt: subject = false
            case .exemptIfHiredAfter(let monthDay):
                if person.hireDate > CalendarDate(year: period.startsOn.year, month: monthDay.month, day: monthDay.day)! { subject = false }
            case .prorate(let perMonth):
                prorated = perMonth.quarters * Int64(Self.monthsOverlapping(person.hireDate, period.endsOn))
            }
        }
        switch version.params {
        case .hours(_, let total, let minimums, _):
            let required = prorated.map { min(total.quarters, $0) } ?? total.quarters
            var completed: Int64 = 0
            for record in inside { completed += record.hours.quarters }
            var met = completed >= required
            var progress: [CategoryProgress] = []
            for minimum in minimums {
                var reached: Int64 = 0
                for record in inside {
                    for entry in record.categoryHours where minimum.categoryCodes.contains(entry.code) { reached += entry.hours.quarters }
                }
                let needed = prorated != nil ? min(minimum.hours.quarters, required) : minimum.hours.quarters
                if reached < needed { met = false }
                progress.append(CategoryProgress(categoryCodes: minimum.categoryCodes, requiredHours: QuarterHours(quarters: needed),
                                                 completedHours: QuarterHours(quarters: reached)))
            }
            return Judgment(subject: subject, met: met, dueSoonDays: version.dueSoonDays, period: period, required: required,
                            completed: completed, progress: progress, contributing: sortedIDs(inside))
        case .completion(_, let training, let passedOnly, _):
            let qualifying = inside.filter { matches($0, training) && (!passedOnly || $0.outcome == .passed) }
            return Judgment(subject: subject, met: !qualifying.isEmpty, dueSoonDays: version.dueSoonDays, period: period,
                            contributing: sortedIDs(qualifying))
        default:
            return nil
        }
    }

    /// `overdue` if any is, else `due_soon` if any is, else `compliant`.
    static func overall(_ statuses: [RequirementStatus]) -> OverallStatus {
        statuses.contains(.overdue) ? .overdue : statuses.contains(.dueSoon) ? .dueSoon : .compliant
    }
}
