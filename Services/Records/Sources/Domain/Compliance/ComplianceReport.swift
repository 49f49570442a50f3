import MusterTime

/// Progress toward one category minimum in the reported period.
public struct CategoryProgress: Sendable, Equatable, Encodable {
    public var categoryCodes: [String]
    public var requiredHours: QuarterHours
    public var completedHours: QuarterHours

    public init(categoryCodes: [String], requiredHours: QuarterHours, completedHours: QuarterHours) {
        self.categoryCodes = categoryCodes
        self.requiredHours = requiredHours
        self.completedHours = completedHours
    }
}

/// One requirement's line of a person's compliance, with exactly the spec's fields
/// (absent numbers are written as `null`).
public struct RequirementReport: Sendable, Equatable, Encodable {
    public var requirementID: RequirementID
    public var code: String
    public var name: String
    public var kind: RequirementKind
    public var status: RequirementStatus
    public var dueOn: CalendarDate?
    public var period: CompliancePeriod?
    public var requiredHours: QuarterHours?
    public var completedHours: QuarterHours?
    public var remainingHours: QuarterHours?
    /// Hours kind only (nil for the other kinds and when not applicable).
    public var categoryProgress: [CategoryProgress]?
    public var lastCompletedOn: CalendarDate?
    public var expiresOn: CalendarDate?
    /// Training record ids, or the certification's id for the certification kind, by date then id.
    public var contributingRecordIDs: [String]
    public var waiver: ComplianceWaiver?

    /// Written by hand so that absent values are `null`, not left out.
    enum CodingKeys: CodingKey {
        case requirementID, code, name, kind, status, dueOn, period, requiredHours, completedHours, remainingHours
        case categoryProgress, lastCompletedOn, expiresOn, contributingRecordIDs, waiver
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(requirementID, forKey: .requirementID)
        try container.encode(code, forKey: .code)
        try container.encode(name, forKey: .name)
        try container.encode(kind, forKey: .kind)
        try container.encode(status, forKey: .status)
        try container.encode(dueOn, forKey: .dueOn)
        try container.encode(period, forKey: .period)
        try container.encode(requiredHours, forKey: .requiredHours)
        try container.encode(completedHours, forKey: .completedHours)
        try container.encode(remainingHours, forKey: .remainingHours)
        try container.encode(categoryProgress, forKey: .categoryProgress)
        try container.encode(lastCompletedOn, forKey: .lastCompletedOn)
        try container.encode(expiresOn, forKey: .expiresOn)
        try container.encode(contributingRecordIDs, forKey: .contributingRecordIDs)
        try container.encode(waiver, forKey: .waiver)
    }
}

/// A person's compliance on one date: every requirement and the overall status.
public struct PersonComplianceReport: Sendable, Equatable, Encodable {
    public var personID: PersonID
    public var asOf: CalendarDate
    public var status: OverallStatus
    public var requirements: [RequirementReport]
}

extension CompliancePeriod: Encodable {
    enum CodingKeys: CodingKey { case startsOn, endsOn }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(startsOn, forKey: .startsOn)
        try container.encode(endsOn, forKey: .endsOn)
    }
}

extension ComplianceWaiver: Encodable {
    enum CodingKeys: CodingKey { case id, periodEndsOn, until }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        switch scope {
        case .period(let endsOn): try container.encode(endsOn, forKey: .periodEndsOn)
        case .until(let until): try container.encode(until, forKey: .until)
        }
    }
}

extension CompliancePlan {
    /// Every requirement's report for one person, and their overall status.
    public func report(for person: PreparedPerson) -> PersonComplianceReport {
        var overall = OverallStatus.compliant
        var lines: [RequirementReport] = []
        lines.reserveCapacity(requirementCount)
        for index in 0..<requirementCount {
            let evaluation = evaluate(requirementAt: index, for: person)
            if evaluation.status == .overdue { overall = .overdue } else if evaluation.status == .dueSoon, overall != .overdue { overall = .dueSoon }
            lines.append(report(evaluation, requirementAt: index, person: person))
        }
        return PersonComplianceReport(personID: person.person.id, asOf: asOf, status: overall, requirements: lines)
    }

    /// An evaluation with its contributing ids and category progress spelled out.
    public func report(_ evaluation: RequirementEvaluation, requirementAt index: Int, person: PreparedPerson) -> RequirementReport {
        let requirement = rulebook.requirements[index]
        let prepared = rulebook.prepared[index]
        let version = evaluation.versionIndex >= 0 ? prepared.versions[evaluation.versionIndex] : nil
        let kind = version?.source.params.kind ?? requirement.versions.first?.params.kind ?? .hours
        var ids: [String] = []
        var progress: [CategoryProgress]?
        switch evaluation.contributors {
        case .none: break
        case .records(let range):
            ids = range.map { person.recordIDs[$0].description }
            if let version, case .hours(_, _, let minimums, _) = version.source.params {
                progress = zip(minimums, version.minimumCategories).map { minimum, columns in
                    let required = evaluation.prorated ? min(minimum.hours, evaluation.requiredHours ?? minimum.hours) : minimum.hours
                    let completed = columns.reduce(0) { $0 + person.categoryQuarters($1, range) }
                    return CategoryProgress(categoryCodes: minimum.categoryCodes, requiredHours: required,
                                            completedHours: QuarterHours(quarters: completed))
                }
            }
        case .qualifyingRecords(let range, let passedOnly):
            if let version { ids = range.filter { person.qualifies($0, for: version, passedOnly: passedOnly) }.map { person.recordIDs[$0].description } }
        case .record(let index):
            ids = [person.recordIDs[index].description]
        case .certification(let index):
            ids = [person.certifications[index].id.description]
        }
        return RequirementReport(
            requirementID: requirement.id, code: requirement.code, name: requirement.name, kind: kind, status: evaluation.status,
            dueOn: evaluation.dueOn, period: evaluation.period, requiredHours: evaluation.requiredHours,
            completedHours: evaluation.completedHours, remainingHours: evaluation.remainingHours, categoryProgress: progress,
            lastCompletedOn: evaluation.lastCompletedOn, expiresOn: evaluation.expiresOn, contributingRecordIDs: ids,
            waiver: evaluation.waiver)
    }
}
