import Foundation
import MusterCore
import MusterTime

/// `GET /internal/agencies/{id}/due-items?from&to&cursor` on Records (service credential;
/// Notify calls it): every item of the agency whose `due_on` lies in `from…to`
/// (inclusive), as the compliance engine judges it on `as_of` (`from` unless given),
/// with the people who should hear of it. Cursor-paged by people (`limit` people a page,
/// ≤ 1000, default 200).
///
/// ```swift
/// let path = DueItemsPage.path(agency, from: day, to: day.addingDays(90), cursor: nil)
/// let page = try JSONCoding.decode(DueItemsPage.self, from: try await peers.send(.records, .get, path).body)
/// for item in page.items where item.status == .overdue { … }
/// ```
public struct DueItemsPage: Codable, Sendable, Equatable {
    public static func path(_ agency: AgencyID, from: CalendarDate, to: CalendarDate, asOf: CalendarDate? = nil,
                            cursor: String? = nil, limit: Int? = nil) -> String {
        var path = "/internal/agencies/\(agency)/due-items?from=\(from)&to=\(to)"
        if let asOf { path += "&as_of=\(asOf)" }
        if let limit { path += "&limit=\(limit)" }
        if let cursor { path += "&cursor=\(cursor)" }
        return path
    }

    /// The agency's IANA time zone (Records' `time_zone` setting): what its days are.
    public var timeZone: String
    public var items: [DueItem]
    public var nextCursor: String?

    public init(timeZone: String, items: [DueItem], nextCursor: String?) {
        self.timeZone = timeZone
        self.items = items
        self.nextCursor = nextCursor
    }

    /// The wire form always carries `next_cursor`, `null` on the last page.
    private enum CodingKeys: CodingKey { case timeZone, items, nextCursor }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(timeZone, forKey: .timeZone)
        try container.encode(items, forKey: .items)
        try container.encode(nextCursor, forKey: .nextCursor)
    }
}

/// What a due item is about: a requirement's id, or a certification type's for a held certification.
public enum DueItemTag: Sendable {}
public typealias DueItemID = Identifier<DueItemTag>

/// One thing a person must do by `due_on`: a requirement of the compliance engine,
/// or a certification they hold (whose expiry is its due date).
public struct DueItem: Codable, Sendable, Equatable {
    /// What the item is: a requirement (by the engine's kind) or a held certification.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case hours, completion, recurring, certification, policy
        /// A certification the person holds, whatever requirement names it.
        case heldCertification = "held_certification"
    }

    /// The compliance engine's status of the item (`../shared/specs/compliance.md`).
    public enum Status: String, Codable, Sendable, CaseIterable {
        case met, dueSoon = "due_soon", inProgress = "in_progress", overdue, waived, notApplicable = "not_applicable"
    }

    /// What the item is about: a requirement's id and name, or a certification type's.
    public struct Subject: Codable, Sendable, Equatable, Hashable {
        public var id: DueItemID
        public var name: String
        public init(id: DueItemID, name: String) {
            self.id = id
            self.name = name
        }
    }

    public var personID: PersonID
    public var personName: String
    /// The person's own address, else their linked login's; nil when neither exists.
    public var email: String?
    /// The person's linked login, when there is one.
    public var userID: UserID?
    public var unit: DueUnit?
    public var item: Subject
    public var kind: Kind
    public var mandatory: Bool
    public var status: Status
    public var dueOn: CalendarDate
    public var missing: MissingWork

    public init(personID: PersonID, personName: String, email: String?, userID: UserID?, unit: DueUnit?, item: Subject, kind: Kind,
                mandatory: Bool, status: Status, dueOn: CalendarDate, missing: MissingWork) {
        self.personID = personID
        self.personName = personName
        self.email = email
        self.userID = userID
        self.unit = unit
        self.item = item
        self.kind = kind
        self.mandatory = mandatory
        self.status = status
        self.dueOn = dueOn
        self.missing = missing
    }
}

/// A person's unit and the logins that supervise it (each with their address).
public struct DueUnit: Codable, Sendable, Equatable {
    public var id: UnitID
    public var name: String
    public var supervisors: [EmailRecipient]
    public init(id: UnitID, name: String, supervisors: [EmailRecipient]) {
        self.id = id
        self.name = name
        self.supervisors = supervisors
    }
}

/// What is still missing for an item: hours (in total and by category), or something to renew.
public struct MissingWork: Codable, Sendable, Equatable {
    public struct CategoryHours: Codable, Sendable, Equatable {
        public var categoryCodes: [String]
        public var remainingHours: Double
        public init(categoryCodes: [String], remainingHours: Double) {
            self.categoryCodes = categoryCodes
            self.remainingHours = remainingHours
        }
    }

    public var remainingHours: Double?
    public var categories: [CategoryHours]
    /// The qualification, certification or policy to renew, complete or acknowledge.
    public var renew: String?

    public init(remainingHours: Double? = nil, categories: [CategoryHours] = [], renew: String? = nil) {
        self.remainingHours = remainingHours
        self.categories = categories
        self.renew = renew
    }
}
