import MusterContracts
import MusterCore
import MusterHTTP

/// Asks Audit for the agency's latest signed checkpoint
/// (`GET /internal/agencies/{id}/checkpoints/latest`, service credential):
/// Records never reads Audit's database.
enum AuditCheckpoints {
    /// The checkpoint, or nil when Audit has signed none for the agency yet.
    static func latest(of agency: AgencyID, services: RecordsRuntime, request: HTTPRequest) async throws -> CheckpointDocument? {
        try await services.lookup(CheckpointDocument.self, at: CheckpointDocument.latestPath(agency), of: .audit, request: request)
    }
}
