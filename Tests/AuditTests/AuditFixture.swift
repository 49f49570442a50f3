import AuditService
import Foundation
import MusterContracts
import MusterCore
import MusterCrypto
import MusterDatabase
import MusterTestSupport

/// An Audit process (with whatever else a suite needs) and helpers to talk to it
/// the way other services do: provisioning calls, event batches, psql.
struct AuditFixture: Sendable {
    let platform: Platform

    static func start(_ services: [Platform.Service] = [.audit], extra: [String: String] = [:]) async throws -> AuditFixture {
        AuditFixture(platform: try await Platform.start(services, extraEnvironment: extra))
    }

    func stop() { platform.stop() }

    /// Provisions an agency's chain as Identity would; returns its id.
    @discardableResult
    func provision(_ agency: AgencyID = AgencyID(), slug: String) throws -> AgencyID {
        let credential = try platform.serviceCredential(as: .identity, for: .audit)
        let response = try Curl.request("PUT", platform.url(.audit) + "/internal/agencies/\(agency)",
                                        headers: ["Authorization": "Bearer \(credential)", "Content-Type": "application/json"],
                                        body: #"{"slug":"\#(slug)","name":"Agency \#(slug)"}"#)
        guard response.status == 200 else { throw FixtureError(description: "provisioning answered \(response.status): \(response.body)") }
        return agency
    }

    /// `POST /internal/events` as `caller`.
    func post(_ events: [AuditEvent], as caller: ServiceName = .records) throws -> CurlResponse {
        let credential = try platform.serviceCredential(as: caller, for: .audit)
        return try Curl.request("POST", platform.url(.audit) + "/internal/events",
                                headers: ["Authorization": "Bearer \(credential)", "Content-Type": "application/json"],
                                body: String(decoding: try JSONCoding.encode(AuditEventBatch(events: events)), as: UTF8.self))
    }

    /// Posts and requires every event accepted.
    func ingest(_ events: [AuditEvent]) throws {
        let response = try post(events)
        let accepted = response.json?["accepted"] as? [String] ?? []
        guard response.status == 200, Set(accepted) == Set(events.map(\.id.description)) else {
            throw FixtureError(description: "ingest answered \(response.status): \(response.body.prefix(2000))")
        }
    }

    /// SQL as the cluster's superuser in Audit's database.
    @discardableResult
    func psql(_ sql: String) throws -> String {
        try Command.psql(sql, database: platform.databaseName(.audit))
    }

    /// `audit verify --agency SLUG` → its exit status and JSON report.
    func verify(slug: String) throws -> (status: Int32, report: [String: Any]) {
        let result = try platform.runCommand(.audit, ["verify", "--agency", slug])
        // The report is the line with "ok" (log lines share stdout).
        let line = result.stdout.split(separator: "\n").first { $0.hasPrefix("{\"checkpoints\"") || $0.contains("\"ok\":") } ?? ""
        let report = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] ?? [:]
        guard !report.isEmpty else { throw FixtureError(description: "verify printed \(result.stdout) / \(result.stderr)") }
        return (result.status, report)
    }

    /// The agency's schema name.
    static func schema(_ agency: AgencyID) -> String { SchemaName.agency(agency).rawValue }

    /// A pool on Audit's database as Audit's own role (least privilege, like the service).
    func servicePool() throws -> DatabasePool {
        try DatabasePool(configuration: .init(url: platform.environment["MUSTER_AUDIT_DATABASE_URL"]!, maxConnections: 4),
                         logger: Logger(service: "audit-test"))
    }

    /// Audit's keys, unsealed with the platform's master key (what the service does).
    func keys(pool: DatabasePool) throws -> AuditKeys {
        AuditKeys(pool: pool, ring: try MasterKeyRing(environment: Environment(platform.environment)))
    }
}

struct FixtureError: Error, CustomStringConvertible {
    let description: String
}
