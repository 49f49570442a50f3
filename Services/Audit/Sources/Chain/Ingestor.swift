import MusterContracts
import MusterCore
import MusterDatabase

/// Takes events into their chains: normalizes each (``EventNormalizer``), groups
/// them by chain, and appends each group in one transaction under that chain's
/// head lock, several chains at a time. Idempotent by event id.
///
/// ```swift
/// let answer = try await ingestor.ingest(batch.events)   // AcceptedIDs: what the relay may delete
/// try await ingestor.record(readEvent)                    // Audit's own events (reads, exports)
/// ```
public struct Ingestor: Sendable {
    let store: EventStore
    let logger: Logger
    private let ingested: MetricsRegistry.Counter
    private let refused: MetricsRegistry.Counter
    /// Chains appended to concurrently within one batch.
    static let parallelChains = 4

    public init(store: EventStore, logger: Logger, metrics: MetricsRegistry) {
        self.store = store
        self.logger = logger
        ingested = metrics.counter("audit_events_appended_total", help: "Events appended to a chain.")
        refused = metrics.counter("audit_events_refused_total", help: "Events not taken (invalid, or agency not provisioned).",
                                  labels: ["reason"])
    }

    /// Stores what it can; an event that is invalid, or whose agency has no chain here
    /// yet, is listed as rejected (its sender retries). Throws only when nothing could
    /// be stored because storage failed (the caller answers 503 and the relay backs off).
    public func ingest(_ events: [AuditEvent], alreadyRejected: [RejectedItem] = []) async throws -> AcceptedIDs {
        var rejected = alreadyRejected
        var groups: [AuditChain: [EventRecord]] = [:]
        var order: [AuditChain] = []
        for event in events {
            do {
                let record = try EventNormalizer.normalize(event)
                if groups[record.chain] == nil { order.append(record.chain) }
                groups[record.chain, default: []].append(record)
            } catch {
                rejected.append(RejectedItem(id: event.id.description, reason: error.reason))
                refused.increment(["invalid"])
            }
        }
        var accepted: [String] = []
        var failures: [Error] = []
        await withTaskGroup(of: (AuditChain, Result<Int, Error>).self) { group in
            var pending = order.makeIterator()
            func startNext() {
                guard let chain = pending.next(), let records = groups[chain] else { return }
                group.addTask {
                    do {
                        return (chain, .success(try await store.append(records, to: chain, at: .now()).appended.count))
                    } catch {
                        return (chain, .failure(error))
                    }
                }
            }
            for _ in 0..<Self.parallelChains { startNext() }
            while let (chain, result) = await group.next() {
                let ids = groups[chain]!.map(\.id.description)
                switch result {
                case .success(let appended):
                    accepted += ids
                    ingested.increment(by: UInt64(appended))
                case .failure(let error as AgencyNotProvisioned):
                    rejected += ids.map { RejectedItem(id: $0, reason: "\(error); retry after provisioning") }
                    refused.increment(["not_provisioned"], by: UInt64(ids.count))
                case .failure(let error as RowsBeyondHead):
                    logger.error("audit chain tampered; events kept by their senders", ["chain": chain.description, "error": "\(error)"])
                    rejected += ids.map { RejectedItem(id: $0, reason: "the audit chain is being investigated; retry") }
                    refused.increment(["chain_tampered"], by: UInt64(ids.count))
                case .failure(let error):
                    logger.error("appending to an audit chain failed", ["chain": chain.description, "error": "\(error)"])
                    rejected += ids.map { RejectedItem(id: $0, reason: "storage failed; retry") }
                    failures.append(error)
                }
                startNext()
            }
        }
        if accepted.isEmpty, let failure = failures.first { throw failure }
        return AcceptedIDs(accepted: accepted, rejected: rejected.isEmpty ? nil : rejected)
    }

    /// Appends one of Audit's own events (a read, an export) to its chain, now.
    public func record(_ event: AuditEvent) async throws {
        let record = try EventNormalizer.normalize(event)
        ingested.increment(by: UInt64(try await store.append([record], to: record.chain, at: .now()).appended.count))
    }
}
