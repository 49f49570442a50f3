import AuditService
import Foundation
import MusterCore
import MusterDatabase
import MusterHTTPClient
import MusterTime

/// `GET /api/v1/audit/events` latency on one agency holding `events` events
/// (appended as a real chain), by query shape, through HTTP with a user token.
/// Every request also appends its own `audit.events.read` event, as in production.
struct QueryBench {
    let platform: BenchPlatform
    let pool: DatabasePool
    let events: Int
    let samples: Int
    static let fillBatch = 5000

    struct Shape {
        let name: String
        let latencies: [Double]
        var p50: Double { percentile(0.5) }
        var p95: Double { percentile(0.95) }
        var max: Double { latencies.max() ?? 0 }
        func percentile(_ p: Double) -> Double {
            let sorted = latencies.sorted()
            return sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
        }
    }

    /// Appends the events in batches (one transaction each, under the chain lock); returns events/s.
    func fill(_ agency: AgencyID, factory: EventFactory) async throws -> Double {
        let store = EventStore(pool: pool)
        let start = ContinuousClock.now
        for first in stride(from: 0, to: events, by: Self.fillBatch) {
            let records = try (first..<min(first + Self.fillBatch, events)).map { try EventNormalizer.normalize(factory.event($0)) }
            _ = try await store.append(records, to: .agency(agency), at: .now())
        }
        let rate = Double(events) / seconds(since: start)
        _ = try await pool.query("ANALYZE \(SchemaName.agency(agency)).events")
        return rate
    }

    func measure(_ agency: AgencyID, factory: EventFactory) async throws -> [Shape] {
        let token = try platform.adminToken(for: agency)
        let day: TimeInterval = 86_400
        let middle = factory.start.addingTimeInterval(Double(events) * factory.step / 2)
        func time(_ path: (Int) -> String) async throws -> [Double] {
            var latencies: [Double] = []
            for sample in 0..<samples {
                let started = ContinuousClock.now
                let response = try await platform.get("/api/v1/audit/events" + path(sample), token: token)
                latencies.append(seconds(since: started) * 1000)
                guard response.status == .ok else { throw BenchError("\(path(sample)) answered \(response.status.rawValue)") }
            }
            return latencies
        }
        var shapes: [Shape] = []
        shapes.append(Shape(name: "newest_page", latencies: try await time { _ in "?limit=50" }))
        shapes.append(Shape(name: "deep_pages_by_cursor", latencies: try await deepPages(token: token)))
        shapes.append(Shape(name: "action_prefix_common", latencies: try await time { _ in "?action=record.training&limit=50" }))
        shapes.append(Shape(name: "action_prefix_rare", latencies: try await time { _ in "?action=auth.mfa&limit=50" }))
        shapes.append(Shape(name: "actor", latencies: try await time { "?actor=\(factory.people[$0 % factory.people.count])&limit=50" }))
        shapes.append(Shape(name: "target", latencies: try await time { "?target_type=training_record&target_id=rec-\($0 * 37 % 5000)&limit=50" }))
        shapes.append(Shape(name: "one_week", latencies: try await time { sample in
            let from = middle.addingTimeInterval(Double(sample % 20) * day)
            return "?from=\(Timestamp.rfc3339(from))&to=\(Timestamp.rfc3339(from.addingTimeInterval(7 * day)))&limit=50"
        }))
        shapes.append(Shape(name: "actor_action_month", latencies: try await time { sample in
            let from = middle.addingTimeInterval(-Double(sample % 30) * day)
            return "?actor=\(factory.people[sample % factory.people.count])&action=record&from=\(Timestamp.rfc3339(from))"
                + "&to=\(Timestamp.rfc3339(from.addingTimeInterval(30 * day)))&limit=50"
        }))
        return shapes
    }

    /// Follows `next_cursor` from the newest page down, `samples` pages.
    private func deepPages(token: String) async throws -> [Double] {
        var latencies: [Double] = []
        var cursor: String?
        for _ in 0..<samples {
            let started = ContinuousClock.now
            let response = try await platform.get("/api/v1/audit/events?limit=50" + (cursor.map { "&cursor=\($0)" } ?? ""), token: token)
            latencies.append(seconds(since: started) * 1000)
            let page = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
            cursor = page?["next_cursor"] as? String
        }
        return latencies
    }

    /// Full verification of the chain through `GET /api/v1/audit/verify`; returns seconds and the report.
    func verify(_ agency: AgencyID) async throws -> (Double, String) {
        let started = ContinuousClock.now
        let response = try await platform.get("/api/v1/audit/verify", token: try platform.adminToken(for: agency))
        return (seconds(since: started), String(decoding: response.body, as: UTF8.self))
    }
}
