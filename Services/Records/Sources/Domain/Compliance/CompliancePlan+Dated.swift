import MusterTime

extension CompliancePlan {
    /// Kinds `recurring`, `certification` and `policy`, judged by the version in force on `as_of`
    /// (spec: Recurring qualifications, Certifications, Policy acknowledgement). A waiver
    /// `until` on or after `as_of` turns the status into `waived`, numbers kept.
    func evaluateDated(_ requirement: PreparedRequirement, _ plan: PlannedRequirement, _ person: PreparedPerson) -> RequirementEvaluation {
        let version = requirement.versions[plan.asOfVersion]
        // Spec: with nothing to date it from, the first due date is the hire date or the
        // requirement's first effective date, whichever is later, plus `initial_days`.
        let firstDue = max(person.person.hireDate, requirement.firstFrom)
        var result: RequirementEvaluation
        switch version.kind {
        case .recurring:
            result = recurring(version, plan.asOfVersion, person, everyMonths: version.everyMonths, firstDue: firstDue.addingDays(version.days))
        case .certification:
            guard let typeID = version.certificationType else { return .notApplicable }
            result = certification(version, plan.asOfVersion, person, typeID: typeID, firstDue: firstDue.addingDays(version.days))
        case .policy:
            guard let published = plan.policyVersion else { return .notApplicable }
            result = policy(version, plan.asOfVersion, person, published: published, withinDays: version.days)
        case .hours, .completion:
            return .notApplicable
        }
        if let waiver = waiver(of: requirement.id, in: person, matches: { if case .until(let until) = $0 { asOf <= until } else { false } }) {
            result.status = .waived
            result.waiver = waiver
        }
        return result
    }

    /// `overdue` after `due`, `due_soon` within the version's window, else `otherwise`.
    @inline(__always)
    private func status(due: CalendarDate, _ version: PreparedVersion, otherwise: RequirementStatus) -> RequirementStatus {
        if asOf > due { return .overdue }
        return asOf.days(until: due) <= version.dueSoonDays ? .dueSoon : otherwise
    }

    private func recurring(_ version: PreparedVersion, _ versionIndex: Int, _ person: PreparedPerson, everyMonths: Int,
                           firstDue: CalendarDate) -> RequirementEvaluation {
        // L: the latest qualifying record on or before `as_of` (records are sorted, so the first found walking back).
        var index = person.firstRecord(onOrAfter: asOf.daysSinceEpoch + 1) - 1
        while index >= 0, !person.qualifies(index, for: version, passedOnly: true) { index -= 1 }
        guard index >= 0 else {
            return RequirementEvaluation(status: status(due: firstDue, version, otherwise: .inProgress), dueOn: firstDue,
                                         versionIndex: versionIndex, contributors: .none)
        }
        let last = CalendarDate(daysSinceEpoch: person.recordDays[index])
        let due = last.addingMonths(everyMonths)
        return RequirementEvaluation(status: status(due: due, version, otherwise: .met), dueOn: due, lastCompletedOn: last,
                                     versionIndex: versionIndex, contributors: .record(index))
    }

    private func certification(_ version: PreparedVersion, _ versionIndex: Int, _ person: PreparedPerson, typeID: CertificationTypeID,
                               firstDue: CalendarDate) -> RequirementEvaluation {
        // E: the latest expiry among counting certifications of the type; one that never expires wins.
        // Ties: the later issue date, then the greater id.
        var best = -1
        for (index, certification) in person.certifications.enumerated()
        where certification.typeID == typeID && certification.issuedOn <= asOf {
            guard best >= 0 else { best = index; continue }
            let current = person.certifications[best]
            let expiry = certification.expiresOn ?? CalendarDate.range.upperBound.addingDays(1)
            let bestExpiry = current.expiresOn ?? CalendarDate.range.upperBound.addingDays(1)
            if (expiry, certification.issuedOn, certification.id) > (bestExpiry, current.issuedOn, current.id) { best = index }
        }
        guard best >= 0 else {
            return RequirementEvaluation(status: status(due: firstDue, version, otherwise: .inProgress), dueOn: firstDue,
                                         versionIndex: versionIndex, contributors: .none)
        }
        guard let expires = person.certifications[best].expiresOn else {
            return RequirementEvaluation(status: .met, versionIndex: versionIndex, contributors: .certification(best))
        }
        return RequirementEvaluation(status: status(due: expires, version, otherwise: .met), dueOn: expires, expiresOn: expires,
                                     versionIndex: versionIndex, contributors: .certification(best))
    }

    private func policy(_ version: PreparedVersion, _ versionIndex: Int, _ person: PreparedPerson, published: CompliancePolicyVersion,
                        withinDays: Int) -> RequirementEvaluation {
        let due = max(published.publishedOn, person.person.hireDate).addingDays(withinDays)
        let acknowledged = person.acknowledgements.contains {
            $0.policyID == published.policyID && $0.version == published.version && $0.acknowledgedOn <= asOf
        }
        return RequirementEvaluation(status: acknowledged ? .met : status(due: due, version, otherwise: .inProgress), dueOn: due,
                                     versionIndex: versionIndex, contributors: .none)
    }
}
