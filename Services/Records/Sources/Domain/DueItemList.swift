import MusterContracts
import MusterCore
import MusterTime

/// A person's due items in a window, from the compliance engine's report: every
/// requirement whose `due_on` falls in it, and every certification they hold that
/// expires in it unless a certification requirement already names that type (one
/// reminder per expiry). Pure: the route supplies the contact details.
///
/// ```swift
/// let list = DueItemList(rulebook: roster.rulebook, asOf: asOf, window: from...to, typeNames: names)
/// let items = list.items(report, history: person.history, name: "Sam Rivera", contact: contact)
/// ```
struct DueItemList {
    struct Contact {
        var email: String?
        var userID: UserID?
        var unit: DueUnit?
    }

    let asOf: CalendarDate
    let window: ClosedRange<CalendarDate>
    let typeNames: [CertificationTypeID: String]
    private let requirements: [RequirementID: ComplianceRequirement]

    init(rulebook: ComplianceRulebook, asOf: CalendarDate, window: ClosedRange<CalendarDate>, typeNames: [CertificationTypeID: String]) {
        self.asOf = asOf
        self.window = window
        self.typeNames = typeNames
        requirements = Dictionary(rulebook.requirements.map { ($0.id, $0) }) { first, _ in first }
    }

    /// The version of `requirement` in force on `as_of` (else its latest).
    private func version(_ requirement: RequirementID) -> RequirementVersion? {
        guard let versions = requirements[requirement]?.versions else { return nil }
        return versions.last { $0.effectiveFrom <= asOf && ($0.effectiveTo.map { asOf <= $0 } ?? true) } ?? versions.last
    }

    func items(_ report: PersonComplianceReport, history: PersonHistory, name: String, contact: Contact) -> [DueItem] {
        func item(_ subject: DueItem.Subject, _ kind: DueItem.Kind, mandatory: Bool, status: DueItem.Status, dueOn: CalendarDate,
                  missing: MissingWork) -> DueItem {
            DueItem(personID: report.personID, personName: name, email: contact.email, userID: contact.userID, unit: contact.unit,
                    item: subject, kind: kind, mandatory: mandatory, status: status, dueOn: dueOn, missing: missing)
        }
        var items: [DueItem] = []
        var namedTypes: Set<CertificationTypeID> = []
        for line in report.requirements {
            let version = version(line.requirementID)
            if case .certification(let type, _)? = version?.params, line.status != .notApplicable { namedTypes.insert(type) }
            guard let dueOn = line.dueOn, window.contains(dueOn), let kind = DueItem.Kind(rawValue: line.kind.rawValue),
                  let status = DueItem.Status(rawValue: line.status.rawValue) else { continue }
            items.append(item(DueItem.Subject(id: DueItemID(line.requirementID.uuid), name: line.name), kind,
                              mandatory: version?.mandatory ?? true, status: status, dueOn: dueOn, missing: Self.missing(line)))
        }
        // Separated people are subject to nothing, whatever they still hold.
        guard history.person.status != .separated else { return items }
        for (type, expiresOn) in Self.held(history.certifications, asOf: asOf) where !namedTypes.contains(type) && window.contains(expiresOn) {
            let name = typeNames[type] ?? "Certification"
            let status: DueItem.Status = asOf > expiresOn ? .overdue : asOf.days(until: expiresOn) <= Self.dueSoonDays ? .dueSoon : .met
            items.append(item(DueItem.Subject(id: DueItemID(type.uuid), name: name), .heldCertification, mandatory: false, status: status,
                              dueOn: expiresOn, missing: MissingWork(renew: name)))
        }
        return items
    }

    /// A held certification is `due_soon` from as many days before its expiry as a requirement's default.
    static let dueSoonDays = 60

    /// Per type, the latest expiry of the certifications counting on `asOf` (one that never expires: nothing is due).
    static func held(_ certifications: [ComplianceCertification], asOf: CalendarDate) -> [(CertificationTypeID, CalendarDate)] {
        var latest: [CertificationTypeID: CalendarDate?] = [:]
        for certification in certifications where !certification.voided && certification.issuedOn <= asOf {
            switch (latest[certification.typeID], certification.expiresOn) {
            case (.some(.none), _): continue
            case (_, nil): latest[certification.typeID] = .some(nil)
            case (.some(.some(let known)), let expires?): latest[certification.typeID] = max(known, expires)
            case (nil, let expires?): latest[certification.typeID] = expires
            }
        }
        return latest.compactMap { type, expires in expires.map { (type, $0) } }.sorted { $0.0 < $1.0 }
    }

    static func missing(_ line: RequirementReport) -> MissingWork {
        switch line.kind {
        case .hours:
            MissingWork(remainingHours: line.remainingHours?.hours, categories: (line.categoryProgress ?? []).compactMap { progress in
                let remaining = progress.requiredHours - progress.completedHours
                return remaining.quarters > 0 ? MissingWork.CategoryHours(categoryCodes: progress.categoryCodes, remainingHours: remaining.hours) : nil
            })
        case .completion, .recurring, .certification, .policy: MissingWork(renew: line.name)
        }
    }
}
