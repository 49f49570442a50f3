import MusterTime

// The plain values the compliance engine judges, as the store reads them. The engine
// keeps no state of its own: give it these and an `as_of` date, get statuses back.

/// A person's employment status (`separated` people are subject to nothing).
public enum PersonStatus: String, Sendable, Codable, CaseIterable {
    case active, leave, separated
}

/// A person as the engine sees them: their current attributes, never their history.
///
/// ```swift
/// let officer = CompliancePerson(id: PersonID(), status: .active, hireDate: CalendarDate("2020-03-02")!,
///                                rank: "officer", unitID: patrol)
/// ```
public struct CompliancePerson: Sendable, Equatable {
    public var id: PersonID
    public var status: PersonStatus
    public var hireDate: CalendarDate
    public var licenseIssuedOn: CalendarDate?
    public var rank: String?
    public var unitID: UnitID?

    public init(id: PersonID, status: PersonStatus = .active, hireDate: CalendarDate, licenseIssuedOn: CalendarDate? = nil,
                rank: String? = nil, unitID: UnitID? = nil) {
        self.id = id
        self.status = status
        self.hireDate = hireDate
        self.licenseIssuedOn = licenseIssuedOn
        self.rank = rank
        self.unitID = unitID
    }
}

/// One unit of the agency's tree, by its parent link (`nil` for a root).
public struct ComplianceUnit: Sendable, Equatable {
    public var id: UnitID
    public var parentID: UnitID?

    public init(id: UnitID, parentID: UnitID?) {
        self.id = id
        self.parentID = parentID
    }
}

/// Where a training record stands in its review (only `approved` counts).
public enum TrainingRecordStatus: String, Sendable, Codable, CaseIterable {
    case approved, pending, rejected, voided
}

/// How a training ended (`completed` and `passed` count).
public enum TrainingOutcome: String, Sendable, Codable, CaseIterable {
    case completed, passed, failed
}

/// The hours of a record in one category.
public struct CategoryHours: Sendable, Equatable {
    public var code: String
    public var hours: QuarterHours

    public init(code: String, hours: QuarterHours) {
        self.code = code
        self.hours = hours
    }
}

/// A training record (its current version).
public struct ComplianceTrainingRecord: Sendable, Equatable {
    public var id: TrainingRecordID
    public var status: TrainingRecordStatus
    public var outcome: TrainingOutcome
    public var completedOn: CalendarDate
    public var hours: QuarterHours
    /// Each category at most once; their sum is at most `hours`.
    public var categoryHours: [CategoryHours]
    public var courseCode: String?

    public init(id: TrainingRecordID, status: TrainingRecordStatus = .approved, outcome: TrainingOutcome = .completed,
                completedOn: CalendarDate, hours: QuarterHours, categoryHours: [CategoryHours] = [], courseCode: String? = nil) {
        self.id = id
        self.status = status
        self.outcome = outcome
        self.completedOn = completedOn
        self.hours = hours
        self.categoryHours = categoryHours
        self.courseCode = courseCode
    }
}

/// A certification a person holds (`expiresOn` nil: it never expires).
public struct ComplianceCertification: Sendable, Equatable {
    public var id: CertificationID
    public var typeID: CertificationTypeID
    public var issuedOn: CalendarDate
    public var expiresOn: CalendarDate?
    public var voided: Bool

    public init(id: CertificationID, typeID: CertificationTypeID, issuedOn: CalendarDate, expiresOn: CalendarDate?, voided: Bool = false) {
        self.id = id
        self.typeID = typeID
        self.issuedOn = issuedOn
        self.expiresOn = expiresOn
        self.voided = voided
    }
}

/// A published version of a policy document.
public struct CompliancePolicyVersion: Sendable, Equatable {
    public var policyID: PolicyID
    public var version: Int
    public var publishedOn: CalendarDate

    public init(policyID: PolicyID, version: Int, publishedOn: CalendarDate) {
        self.policyID = policyID
        self.version = version
        self.publishedOn = publishedOn
    }
}

/// A person's acknowledgement of one version of a policy.
public struct PolicyAcknowledgement: Sendable, Equatable {
    public var policyID: PolicyID
    public var version: Int
    public var acknowledgedOn: CalendarDate

    public init(policyID: PolicyID, version: Int, acknowledgedOn: CalendarDate) {
        self.policyID = policyID
        self.version = version
        self.acknowledgedOn = acknowledgedOn
    }
}

/// What a waiver exempts: one period of a period kind, or the other kinds until a date (inclusive).
public enum WaiverScope: Sendable, Equatable {
    case period(endsOn: CalendarDate)
    case until(CalendarDate)
}

/// A coordinator's waiver of one requirement for one person (the reason stays with the store).
public struct ComplianceWaiver: Sendable, Equatable {
    public var id: WaiverID
    public var requirementID: RequirementID
    public var scope: WaiverScope

    public init(id: WaiverID, requirementID: RequirementID, scope: WaiverScope) {
        self.id = id
        self.requirementID = requirementID
        self.scope = scope
    }
}

/// Everything about one person that their compliance depends on.
public struct PersonHistory: Sendable {
    public var person: CompliancePerson
    public var records: [ComplianceTrainingRecord]
    public var certifications: [ComplianceCertification]
    public var acknowledgements: [PolicyAcknowledgement]
    public var waivers: [ComplianceWaiver]

    public init(person: CompliancePerson, records: [ComplianceTrainingRecord] = [], certifications: [ComplianceCertification] = [],
                acknowledgements: [PolicyAcknowledgement] = [], waivers: [ComplianceWaiver] = []) {
        self.person = person
        self.records = records
        self.certifications = certifications
        self.acknowledgements = acknowledgements
        self.waivers = waivers
    }
}
