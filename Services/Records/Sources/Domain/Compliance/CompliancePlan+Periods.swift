import MusterTime

/// How one period stands for one person under the version judging it.
struct PeriodJudgment {
    var subject: Bool
    var met: Bool
    /// Hours kind: the (possibly prorated) total and what the records reach.
    var required: Int64
    var completed: Int64
    var records: Range<Int>
    var isHours: Bool
    var passedOnly: Bool
    var prorated: Bool
}

extension CompliancePlan {
    /// Kinds `hours` and `completion` (spec: Periods, Status steps 1–5).
    func evaluatePeriods(_ requirement: PreparedRequirement, _ plan: PlannedRequirement, _ person: PreparedPerson) -> RequirementEvaluation {
        let periods: CurrentPeriods
        let currentVersion: Int, previousVersion: Int
        if let shared = plan.sharedPeriods {
            periods = shared
            currentVersion = plan.currentVersion
            previousVersion = plan.previousVersion
        } else {
            guard let found = person.anchoredPeriods(requirement.versions[plan.asOfVersion], containing: asOf) else { return .notApplicable }
            periods = found
            currentVersion = requirement.version(on: found.current.endsOn)
            previousVersion = found.previous.map { requirement.version(on: $0.endsOn) } ?? -1
        }
        // 1. P unmet and not waived: overdue until a coordinator waives P.
        if let previous = periods.previous, previousVersion >= 0 {
            let judged = judge(previous, requirement.versions[previousVersion], person)
            if judged.subject, !judged.met,
               waiver(of: requirement.id, in: person, matches: { $0 == .period(endsOn: previous.endsOn) }) == nil {
                return evaluation(.overdue, previous, judged, previousVersion)
            }
        }
        let current = periods.current
        let judged = currentVersion >= 0 ? judge(current, requirement.versions[currentVersion], person) : nil
        // 2. C waived.
        if let waiver = waiver(of: requirement.id, in: person, matches: { $0 == .period(endsOn: current.endsOn) }) {
            guard let judged else {
                return RequirementEvaluation(status: .waived, dueOn: current.endsOn, period: current, waiver: waiver, versionIndex: -1,
                                             contributors: .none)
            }
            var result = evaluation(.waived, current, judged, currentVersion)
            result.waiver = waiver
            return result
        }
        // 3. Not subject to C.
        guard let judged, judged.subject else { return .notApplicable }
        // 4, 5.
        if judged.met { return evaluation(.met, current, judged, currentVersion) }
        let dueSoon = asOf.days(until: current.endsOn) <= requirement.versions[currentVersion].dueSoonDays
        return evaluation(dueSoon ? .dueSoon : .inProgress, current, judged, currentVersion)
    }

    private func evaluation(_ status: RequirementStatus, _ period: CompliancePeriod, _ judged: PeriodJudgment, _ version: Int) -> RequirementEvaluation {
        var result = RequirementEvaluation(
            status: status, dueOn: period.endsOn, period: period,
            requiredHours: judged.isHours ? QuarterHours(quarters: judged.required) : nil,
            completedHours: judged.isHours ? QuarterHours(quarters: judged.completed) : nil,
            versionIndex: version,
            contributors: judged.isHours ? .records(judged.records) : .qualifyingRecords(judged.records, passedOnly: judged.passedOnly))
        result.prorated = judged.prorated
        return result
    }

    /// Whether the person is subject to `period` under `version`, and whether its counting records meet it.
    func judge(_ period: CompliancePeriod, _ version: PreparedVersion, _ person: PreparedPerson) -> PeriodJudgment {
        var judgment = PeriodJudgment(subject: false, met: false, required: 0, completed: 0, records: 0..<0, isHours: false, passedOnly: false,
                                     prorated: false)
        let hire = person.person.hireDate
        switch version.kind {
        case .hours:
            judgment.isHours = true
            judgment.required = version.totalQuarters
        case .completion:
            judgment.passedOnly = version.passedOnly
        case .recurring, .certification, .policy:
            return judgment // a version of another kind judges no period
        }
        let lastCounted = min(period.endsOn, asOf)
        let low = person.firstRecord(onOrAfter: period.startsOn.daysSinceEpoch)
        let high = lastCounted < period.startsOn ? low : person.firstRecord(onOrAfter: lastCounted.daysSinceEpoch + 1)
        judgment.records = low..<high
        if judgment.isHours { judgment.completed = person.hoursPrefix[high] - person.hoursPrefix[low] }
        guard version.applies(to: person), period.endsOn >= hire else { return judgment }
        if hire > period.startsOn {
            switch version.newHires {
            case .full: break
            case .exempt: return judgment
            case .exemptIfHiredAfter(let monthDay):
                if hire > monthDay.date(inYear: period.startsOn.year) { return judgment }
            case .prorate(let perMonth):
                let end = CivilCalendar.civil(fromDays: period.endsOn.daysSinceEpoch)
                let start = CivilCalendar.civil(fromDays: hire.daysSinceEpoch)
                let months = (end.year - start.year) * 12 + (end.month - start.month) + 1
                judgment.required = min(judgment.required, perMonth.quarters * months)
                judgment.prorated = true
            }
        }
        judgment.subject = true
        if judgment.isHours {
            judgment.met = judgment.completed >= judgment.required
                && minimumsMet(version, person, low..<high, cap: judgment.prorated ? judgment.required : nil)
        } else {
            judgment.met = (low..<high).contains { person.qualifies($0, for: version, passedOnly: judgment.passedOnly) }
        }
        return judgment
    }

    private func minimumsMet(_ version: PreparedVersion, _ person: PreparedPerson, _ records: Range<Int>, cap: Int64?) -> Bool {
        for index in version.minimumQuarters.indices {
            var reached: Int64 = 0
            for column in version.minimumCategories[index] { reached += person.categoryQuarters(column, records) }
            let needed = version.minimumQuarters[index]
            if reached < (cap.map { min($0, needed) } ?? needed) { return false }
        }
        return true
    }
}
