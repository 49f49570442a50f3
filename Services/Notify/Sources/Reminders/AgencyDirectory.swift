import MusterContracts
import MusterCore
import MusterService
import MusterTime

/// What reminders need from the other services: the due items of one agency and
/// window (Records, from its compliance engine) and the agency's coordinators (Identity).
struct AgencyDirectory: Sendable {
    let peers: PeerClient
    /// People per page asked of Records.
    static let pageSize = 200

    /// Every page of due items of `window`, judged on `asOf`, handed to `page` in order.
    func dueItems(_ agency: AgencyID, window: ClosedRange<CalendarDate>, asOf: CalendarDate,
                  page: (DueItemsPage) async throws -> Bool) async throws {
        var cursor: String?
        repeat {
            let path = DueItemsPage.path(agency, from: window.lowerBound, to: window.upperBound, asOf: asOf, cursor: cursor,
                                         limit: Self.pageSize)
            let answer = try await peers.get(.records, path, as: DueItemsPage.self)
            guard try await page(answer) else { return }
            cursor = answer.nextCursor
        } while cursor != nil
    }

    /// The agency's active coordinators.
    func coordinators(_ agency: AgencyID) async throws -> [EmailRecipient] {
        return try await peers.get(.identity, AgencyAdmins.path(agency, role: .coordinator), as: AgencyAdmins.self).admins
    }
}
