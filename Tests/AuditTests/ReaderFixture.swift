import AuditService
import Foundation
import MusterContracts
import MusterCore
import MusterTestSupport

/// The whole platform with real Identity users, for the public audit routes.
extension AuditFixture {
    static func startWithIdentity() async throws -> AuditFixture {
        try await start([.identity, .records, .audit, .notify, .gateway])
    }

    /// `GET` (or another method) on Audit's public API with a user's token.
    func api(_ path: String, method: String = "GET", token: String?, body: String? = nil) throws -> CurlResponse {
        var headers: [String: String] = body == nil ? [:] : ["Content-Type": "application/json"]
        if let token { headers["Authorization"] = "Bearer \(token)" }
        return try Curl.request(method, platform.url(.audit) + "/api/v1/audit" + path, headers: headers, body: body)
    }

    /// Every event of a listing, following cursors.
    func allEvents(_ query: String, token: String, pageSize: Int = 50) throws -> [[String: Any]] {
        var items: [[String: Any]] = []
        var cursor: String?
        repeat {
            let separator = query.isEmpty ? "" : "&"
            let path = "/events?\(query)\(separator)limit=\(pageSize)" + (cursor.map { "&cursor=\($0)" } ?? "")
            let response = try api(path, token: token)
            guard response.status == 200 else { throw FixtureError(description: "\(path): \(response.status) \(response.body)") }
            items += response.json?["items"] as? [[String: Any]] ?? []
            cursor = response.json?["next_cursor"] as? String
        } while cursor != nil
        return items
    }

    /// Seeds `count` events in the agency's chain: training updates by two actors on a few targets.
    func seed(_ agency: AgencyID, count: Int, actors: [UserID], start: Date = Date(timeIntervalSince1970: 1_740_000_000)) throws -> [AuditEvent] {
        let events = (0..<count).map { index in
            var event = EventSamples.event(agency: agency, action: index % 4 == 0 ? "record.certification.renewed" : "record.training.updated",
                                           index: index, occurredAt: start)
            event.actor = .user(actors[index % actors.count], roles: [.coordinator])
            event.target = AuditTarget(type: "training_record", id: "rec-\(index % 5)")
            return event
        }
        try ingest(events)
        return events
    }

    /// An agency through Identity, active everywhere.
    func agency() async throws -> AgencyFixture {
        try await platform.createAgency(waitUntilActive: true)
    }
}

extension [String: Any] {
    var seq: Int { self["seq"] as? Int ?? -1 }
    var action: String { self["action"] as? String ?? "" }
    var actorUser: String? { (self["actor"] as? [String: Any])?["user_id"] as? String }
}
