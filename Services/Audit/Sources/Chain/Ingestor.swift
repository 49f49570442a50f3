import MusterContracts
import MusterCore
import MusterDatabase
import MusterOutbox

/// Takes events into their chains: normalizes each (``EventNormalizer``), then
/// hands them to the outbox's receiving half (``OutboxReceiver``), which groups
/// them by chain and appends each group in one transaction under that chain's
/// head lock, several chains at a time. Idempotent by event id.
///
/// ```swift
/// let answer = try await ingestor.ingest(batch.events)   // AcceptedIDs: what the relay may delete
/// try await ingestor.record(readEvent)                    // Audit's own events (reads, exports)
/// ```
public struct Ingestor: Sendable {
    let store: EventStore
    let logger: Logger
    private let receiver: OutboxReceiver
    private let ingested: MetricsRegistry.Counter
    private let refused: MetricsRegistry.Counter
    /// Chains appended to concurrently within one batch.
    static let parallelChains = 4

    public init(store: EventStore, logger: Logger, metrics: MetricsRegistry) {
        self.store = store
        self.logger = logger
        receiver = OutboxReceiver(topic: .auditEvents, logger: logger, concurrency: Self.parallelChains)
        ingested = metrics.counter("audit_events_appended_total", help: "Events appended to a chain.")
        refused = metrics.counter("audit_events_refused_total", help: "Events not taken (invalid, or agency not provisioned).",
                                  labels: ["reason"])
    }

    /// Stores what it can; an event that is invalid, or whose agency has no chain here
    /// yet, is listed as rejected (its sender retries). Throws only when nothing could
    /// be stored because storage failed (the caller answers 503 and the relay backs off).
    public func ingest(_ events: [AuditEvent], alreadyRejected: [RejectedItem] = []) async throws -> AcceptedIDs {
        var rejected = alreadyRejected
        var records: [EventRecord] = []
        for event in events {
            do {
                records.append(try EventNormalizer.normalize(event))
            } catch {
                rejected.append(RejectedItem(id: event.id.description, reason: error.reason))
                refused.increment(["invalid"])
            }
        }
        let receipt = try await receiver.receive(records, id: \.id.description, tenancy: { Tenancy($0.chain.agencyID) },
                                                 rejected: rejected) { [store, logger, ingested, refused] tenancy, group in
            let chain = AuditChain(agency: tenancy.agencyID)
            do {
                ingested.increment(by: UInt64(try await store.append(group, to: chain, at: .now()).appended.count))
            } catch let error as RowsBeyondHead {
                logger.error("audit chain tampered; events kept by their senders", ["chain": chain.description, "error": "\(error)"])
                refused.increment(["chain_tampered"], by: UInt64(group.count))
                throw OutboxRefusal(reason: "the audit chain is being investigated; retry")
            }
        }
        refused.increment(["not_provisioned"], by: UInt64(receipt.notProvisioned))
        return receipt.answer
    }

    /// Appends one of Audit's own events (a read, an export) to its chain, now.
    public func record(_ event: AuditEvent) async throws {
        let record = try EventNormalizer.normalize(event)
        ingested.increment(by: UInt64(try await store.append([record], to: record.chain, at: .now()).appended.count))
    }
}
