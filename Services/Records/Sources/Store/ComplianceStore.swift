import Foundation
import MusterCore
import MusterDatabase
import MusterTime

/// Which people a ``ComplianceStore/load(_:in:)`` reads.
///
/// ```swift
/// .everyone                       // the whole roster (separated people included: the engine says not_applicable)
/// .person(id)                     // one person
/// .units([patrol, patrolNight])   // the people of exactly these units (expand a subtree first)
/// .page(after: last, limit: 200)  // the next people by id (due items, page by page)
/// ```
enum ComplianceRosterFilter: Sendable, Equatable {
    case everyone
    case person(PersonID)
    case units(Set<UnitID>)
    case page(after: PersonID?, limit: Int)
}

/// One person of a loaded roster: what the engine judges (`history`, prepared against the
/// rulebook) and what a list or CSV shows beside it.
struct ComplianceRosterPerson: Sendable {
    let history: PersonHistory
    let prepared: PreparedPerson
    let badgeNumber: String
    let firstName: String
    let lastName: String
    /// The listing order: last name, first name (case-insensitive), then id.
    let sortKey: String
    var id: PersonID { history.person.id }

    init(history: PersonHistory, prepared: PreparedPerson, badgeNumber: String, firstName: String, lastName: String) {
        self.history = history
        self.prepared = prepared
        self.badgeNumber = badgeNumber
        self.firstName = firstName
        self.lastName = lastName
        sortKey = lastName.lowercased() + "\u{1F}" + firstName.lowercased()
    }

    /// Before `other` in the listing order.
    func precedes(key: String, id other: String) -> Bool {
        sortKey != key ? sortKey < key : id.description < other
    }
}

/// A waiver as the API shows it: the engine's scope plus its reason and who granted it.
struct WaiverDetails: Sendable {
    let waiver: ComplianceWaiver
    let personID: PersonID
    let reason: String
    let createdBy: UserID
    let createdAt: String
}

/// Everything the engine needs for an agency (or part of it), read in one round trip of the
/// caller's transaction: the rulebook (requirements with every version, the unit tree, the
/// policies' published versions) and each person's history (training records, certifications,
/// acknowledgements, unrevoked waivers), plus the agency's time zone and today's date in it.
///
/// Nothing is cached: a record written earlier in the same transaction, or committed by the
/// previous request, is in the next load.
///
/// ```swift
/// let roster = try await ComplianceStore.load(.person(id), in: tx)
/// let plan = CompliancePlan(rulebook: roster.rulebook, asOf: asOf ?? roster.today)
/// let report = plan.report(for: roster.people[0].prepared)   // PersonComplianceReport
/// ```
struct ComplianceRoster: Sendable {
    let rulebook: ComplianceRulebook
    /// In the listing order (``ComplianceRosterPerson/sortKey``, then id).
    let people: [ComplianceRosterPerson]
    let units: [ComplianceUnit]
    /// The unrevoked waivers of the people loaded, with their reasons, by id.
    let waivers: [WaiverID: WaiverDetails]
    let timeZone: AgencyTimeZone
    /// Today in the agency's zone: the default `as_of`.
    let today: CalendarDate

    /// A plan for `asOf` (default: today in the agency's zone).
    func plan(asOf: CalendarDate? = nil) -> CompliancePlan {
        CompliancePlan(rulebook: rulebook, asOf: asOf ?? today)
    }

    /// `unit` and every unit below it (unknown ids give just themselves).
    func subtree(of unit: UnitID) -> Set<UnitID> { ComplianceStore.subtree(of: [unit], in: units) }
}

/// Loads the compliance engine's input from an agency's tables (see ``ComplianceRoster``).
/// Used by the compliance and requirement routes, and meant for any route that needs
/// statuses (transcripts, due items): it is the one place that maps the schema to the engine.
enum ComplianceStore {
    /// The roster selected by `filter`, in one round trip (nine statements pipelined).
    static func load(_ filter: ComplianceRosterFilter, in tx: Transaction) async throws -> ComplianceRoster {
        let people: SQL
        switch filter {
        case .everyone: people = "SELECT id FROM personnel"
        case .person(let id): people = "SELECT \(id)::uuid AS id"
        case .units(let units): people = "SELECT id FROM personnel WHERE unit_id = ANY(\(units.map(\.uuid)))"
        case .page(nil, let limit): people = "SELECT id FROM personnel ORDER BY id LIMIT \(limit)"
        case .page(let after?, let limit): people = "SELECT id FROM personnel WHERE id > \(after) ORDER BY id LIMIT \(limit)"
        }
        let results = try await tx.pipeline([
            """
            SELECT r.id, r.code, r.kind, v.name, v.params::text AS params, v.applies_ranks, v.applies_unit_ids, v.effective_from,
                   v.effective_to, v.due_soon_days, v.mandatory
            FROM requirements r JOIN requirement_versions v ON v.requirement_id = r.id ORDER BY r.code, r.id, v.version
            """,
            "SELECT id, parent_id FROM units",
            "SELECT policy_id, version, published_on FROM policy_versions",
            """
            SELECT p.id, p.status, p.hire_date, p.license_issued_on, p.rank, p.unit_id, p.badge_number, p.first_name, p.last_name
            FROM personnel p WHERE p.id IN (\(people))
            """,
            """
            SELECT r.person_id, r.id, r.outcome = 'passed' AS passed, r.completed_on, r.quarter_hours,
                   r.category_hours::text AS category_hours, c.code
            FROM training_records r LEFT JOIN courses c ON c.id = r.course_id
            WHERE r.person_id IN (\(people)) AND r.status = 'approved' AND r.outcome <> 'failed'
            """,
            """
            SELECT person_id, id, type_id, issued_on, expires_on FROM certifications
            WHERE person_id IN (\(people)) AND status <> 'voided'
            """,
            """
            SELECT a.person_id, v.policy_id, v.version, a.acknowledged_on
            FROM policy_acknowledgements a JOIN policy_versions v ON v.id = a.policy_version_id WHERE a.person_id IN (\(people))
            """,
            """
            SELECT id, person_id, requirement_id, period_ends_on, until, reason, created_by, \(JSONRows.time("created_at")) AS created_at
            FROM waivers WHERE person_id IN (\(people)) AND revoked_at IS NULL
            """,
            "SELECT value FROM agency_settings WHERE key = 'time_zone'",
        ])
        let units = try results[1].map { ComplianceUnit(id: try $0.decode(column: 0), parentID: try $0.decode(column: 1)) }
        let rulebook = ComplianceRulebook(requirements: try requirements(results[0]), units: units,
                                          policyVersions: try results[2].map {
                                              CompliancePolicyVersion(policyID: try $0.decode(column: 0), version: try $0.decode(column: 1),
                                                                      publishedOn: try $0.decode(column: 2))
                                          })
        var records: [PersonID: [ComplianceTrainingRecord]] = [:]
        // Only records that count are read (approved, completed or passed), so status and outcome are known.
        for row in results[4] {
            let record = ComplianceTrainingRecord(
                id: try row.decode(column: 1), status: .approved, outcome: try row.decode(column: 2) ? .passed : .completed,
                completedOn: try row.decode(column: 3), hours: QuarterHours(quarters: Int64(try row.decode(column: 4, as: Int.self))),
                categoryHours: try categoryHours(try row.decode(column: 5, as: String.self)), courseCode: try row.decode(column: 6))
            records[try row.decode(column: 0, as: PersonID.self), default: []].append(record)
        }
        var certifications: [PersonID: [ComplianceCertification]] = [:]
        for row in results[5] {
            certifications[try row.decode(column: 0, as: PersonID.self), default: []].append(ComplianceCertification(
                id: try row.decode(column: 1), typeID: try row.decode(column: 2), issuedOn: try row.decode(column: 3),
                expiresOn: try row.decode(column: 4)))
        }
        var acknowledgements: [PersonID: [PolicyAcknowledgement]] = [:]
        for row in results[6] {
            acknowledgements[try row.decode(column: 0, as: PersonID.self), default: []].append(PolicyAcknowledgement(
                policyID: try row.decode(column: 1), version: try row.decode(column: 2), acknowledgedOn: try row.decode(column: 3)))
        }
        var waivers: [PersonID: [ComplianceWaiver]] = [:]
        var details: [WaiverID: WaiverDetails] = [:]
        for row in results[7] {
            let waiver = try Self.waiver(row)
            let person = try row.decode(column: 1, as: PersonID.self)
            waivers[person, default: []].append(waiver)
            details[waiver.id] = WaiverDetails(waiver: waiver, personID: person, reason: try row.decode(column: 5),
                                               createdBy: try row.decode(column: 6), createdAt: try row.decode(column: 7))
        }
        let zone = try results[8].first.flatMap { AgencyTimeZone(try $0.decode(column: 0, as: JSONB<String>.self).value) } ?? .default
        let roster = try results[3].map { row in
            let person = CompliancePerson(id: try row.decode(column: 0), status: try row.decode(column: 1, as: PersonStatus.self),
                                          hireDate: try row.decode(column: 2), licenseIssuedOn: try row.decode(column: 3),
                                          rank: try row.decode(column: 4), unitID: try row.decode(column: 5))
            let history = PersonHistory(person: person, records: records[person.id] ?? [], certifications: certifications[person.id] ?? [],
                                        acknowledgements: acknowledgements[person.id] ?? [], waivers: waivers[person.id] ?? [])
            return ComplianceRosterPerson(history: history, prepared: rulebook.prepare(history), badgeNumber: try row.decode(column: 6),
                                          firstName: try row.decode(column: 7), lastName: try row.decode(column: 8))
        }
        let sorted = roster.sorted { $0.precedes(key: $1.sortKey, id: $1.id.description) }
        return ComplianceRoster(rulebook: rulebook, people: sorted, units: units, waivers: details, timeZone: zone, today: zone.today())
    }

    /// The requirements with their versions, from rows ordered by requirement then version.
    private static func requirements(_ rows: Rows) throws -> [ComplianceRequirement] {
        var requirements: [ComplianceRequirement] = []
        for row in rows {
            let id = try row.decode(column: 0, as: RequirementID.self)
            let kind = try row.decode(column: 2, as: RequirementKind.self)
            let params = try RequirementParams.parse(kind: kind, json: try JSONCoding.decode(JSONValue.self, from: Array(try row.decode(column: 4, as: String.self).utf8)))
            let ranks = try row.decode(column: 5, as: [String]?.self)
            let units = try row.decode(column: 6, as: [UnitID]?.self)
            let version = RequirementVersion(params: params, appliesTo: AppliesTo(ranks: ranks, unitIDs: units),
                                             effectiveFrom: try row.decode(column: 7), effectiveTo: try row.decode(column: 8),
                                             dueSoonDays: try row.decode(column: 9), mandatory: try row.decode(column: 10))
            // The name shown is the latest version's (rows come in version order).
            let name = try row.decode(column: 3, as: String.self)
            if requirements.last?.id == id {
                requirements[requirements.count - 1].versions.append(version)
                requirements[requirements.count - 1].name = name
            } else {
                requirements.append(ComplianceRequirement(id: id, code: try row.decode(column: 1), name: name, versions: [version]))
            }
        }
        return requirements
    }

    /// A record's `category_hours` (jsonb of quarter-hours by code) as the engine's list.
    private static func categoryHours(_ text: String) throws -> [CategoryHours] {
        guard text != "{}" else { return [] }
        guard case .object(let members) = try JSONReader.parse(Array(text.utf8)) else { return [] }
        return members.compactMap { member in
            guard case .number(let quarters) = member.value else { return nil }
            return CategoryHours(code: member.name, hours: QuarterHours(quarters: Int64(quarters)))
        }
    }

    /// A waiver from a row of `id, person_id, requirement_id, period_ends_on, until`.
    static func waiver(_ row: Row) throws -> ComplianceWaiver {
        let scope: WaiverScope
        if let endsOn = try row.decode(column: 3, as: CalendarDate?.self) { scope = .period(endsOn: endsOn) } else {
            scope = .until(try row.decode(column: 4, as: CalendarDate.self))
        }
        return ComplianceWaiver(id: try row.decode(column: 0), requirementID: try row.decode(column: 2), scope: scope)
    }

    /// `roots` and every unit below them in `units`.
    static func subtree(of roots: Set<UnitID>, in units: [ComplianceUnit]) -> Set<UnitID> {
        let children = Dictionary(grouping: units.filter { $0.parentID != nil }, by: { $0.parentID! })
        var found = roots, queue = Array(roots)
        while let next = queue.popLast() {
            for child in children[next] ?? [] where found.insert(child.id).inserted { queue.append(child.id) }
        }
        return found
    }
}

extension PersonStatus: SQLDecodable {}
extension RequirementKind: SQLDecodable {}
