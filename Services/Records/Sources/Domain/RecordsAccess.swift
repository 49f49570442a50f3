import MusterAuth
import MusterCore
import MusterHTTP

/// The caller as Records sees them: their roles, the person linked to their login
/// and the units they supervise (each with every unit below it).
///
/// ```swift
/// let caller = RecordsCaller(user: id, roles: [.supervisor], ownPerson: nil, supervisedUnits: [patrol, patrolNight])
/// try RecordsAccess.readPerson(caller, person: someone, unit: patrolNight)   // .supervised
/// try RecordsAccess.requireWriter(caller)                                    // 403
/// ```
struct RecordsCaller: Sendable, Equatable {
    let user: UserID
    let roles: Set<Role>
    /// Set when a platform operator reads under the agency's support grant (read-only).
    var supportGrant: Bool = false
    let ownPerson: PersonID?
    let supervisedUnits: Set<UnitID>
}

/// Who may do what in Records (issue 19's table), decided from the caller alone:
///
/// | role | may |
/// |---|---|
/// | officer | read their own person and file; submit their own outside training |
/// | supervisor | read everyone in the units they supervise and below |
/// | coordinator, agency_admin | read and change everything, approve submissions |
/// | auditor (and an operator under a support grant) | read everything, change nothing |
///
/// Anything else is `403`; an id of another agency never reaches this (it is `404`
/// before, since every query runs in the caller's schema). Nobody records, approves
/// or corrects training for the person linked to their own login (`403 separation_of_duties`).
enum RecordsAccess {
    static let agencyRoles: Set<Role> = [.officer, .supervisor, .coordinator, .agencyAdmin, .auditor]
    static let writerRoles: Set<Role> = [.coordinator, .agencyAdmin]
    static let readAllRoles: Set<Role> = [.coordinator, .agencyAdmin, .auditor]

    /// How a read of a person's file was allowed: reading someone else's is audited.
    enum Grant: Sendable, Equatable {
        case own, supervised, everyone
    }

    /// Which people a list may show.
    enum Scope: Sendable, Equatable {
        case everyone
        case units(Set<UnitID>)
    }

    /// Any of the agency's roles: the catalog, the unit tree.
    static func requireMember(_ caller: RecordsCaller) throws(HTTPError) {
        guard caller.supportGrant || !caller.roles.isDisjoint(with: agencyRoles) else { throw denied }
    }

    /// Coordinators and agency admins, acting for themselves.
    static func requireWriter(_ caller: RecordsCaller) throws(HTTPError) {
        guard !caller.supportGrant, !caller.roles.isDisjoint(with: writerRoles) else {
            throw HTTPError.forbidden("Only coordinators and agency admins change records.")
        }
    }

    /// Those who read every person's file.
    static func readsEveryone(_ caller: RecordsCaller) -> Bool {
        caller.supportGrant || !caller.roles.isDisjoint(with: readAllRoles)
    }

    /// Whom a list of people may show (officers read themselves through `/me/person`).
    static func listScope(_ caller: RecordsCaller) throws(HTTPError) -> Scope {
        if readsEveryone(caller) { return .everyone }
        if caller.roles.contains(.supervisor) { return .units(caller.supervisedUnits) }
        throw denied
    }

    /// Reading one person's file (the person, their records, certifications, attachments).
    static func readPerson(_ caller: RecordsCaller, person: PersonID, unit: UnitID?) throws(HTTPError) -> Grant {
        if caller.ownPerson == person, !caller.roles.isDisjoint(with: agencyRoles) { return .own }
        if readsEveryone(caller) { return .everyone }
        if caller.roles.contains(.supervisor), let unit, caller.supervisedUnits.contains(unit) { return .supervised }
        throw denied
    }

    /// Who may submit their own outside training: any sworn role (an auditor only reads).
    static let submitterRoles: Set<Role> = [.officer, .supervisor, .coordinator, .agencyAdmin]

    /// The person linked to the caller's login, for reading their own file (`404` when none is).
    static func ownPerson(_ caller: RecordsCaller) throws(HTTPError) -> PersonID {
        guard !caller.supportGrant, !caller.roles.isDisjoint(with: agencyRoles) else { throw denied }
        guard let person = caller.ownPerson else { throw HTTPError.notFound("person linked to your login") }
        return person
    }

    /// Submitting one's own outside training (pending until a coordinator decides).
    static func requireSubmitter(_ caller: RecordsCaller) throws(HTTPError) -> PersonID {
        guard !caller.roles.isDisjoint(with: submitterRoles) else { throw denied }
        return try ownPerson(caller)
    }

    /// Nobody records, approves or corrects training of the person linked to their own login.
    static func checkSeparation(_ caller: RecordsCaller, subject: PersonID) throws(HTTPError) {
        guard caller.ownPerson != subject else {
            throw HTTPError(.forbidden, code: "separation_of_duties",
                            message: "You may not record, approve or correct training of the person linked to your own login.")
        }
    }

    private static var denied: HTTPError { HTTPError.forbidden("Your role does not allow this.") }
}
