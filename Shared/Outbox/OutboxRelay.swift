import Foundation
import MusterContracts
import MusterCore
import MusterDatabase
import MusterTime

/// Delivers one topic of the outbox to its destination service, in batches, for as
/// long as the service runs.
///
/// - **Several relays, each row once at a time**: a batch is claimed with
///   `FOR UPDATE SKIP LOCKED` inside a transaction that stays open while the batch
///   is delivered, so replicas (or several relays in one process) take disjoint
///   batches, and a relay that dies mid-delivery releases its rows by dying.
/// - **Deleted only when acknowledged**: a row is deleted only when the destination
///   listed its id as accepted. The destination is idempotent by id, so a row
///   delivered twice (a relay killed between the answer and its commit) is stored once.
/// - **Destination down**: the batch's transaction rolls back (rows untouched) and
///   the relay waits with exponential backoff and full jitter before trying again,
///   so a destination that comes back gets the backlog at once, and the service's
///   own writes never wait for it: they only insert rows.
/// - **Rows the destination refused** (listed as rejected, or missing from the
///   answer) are postponed one by one, with exponential backoff and jitter
///   (`attempts`, `next_attempt_at`, `last_error`), and never dropped.
///
/// ```swift
/// let relay = OutboxRelay(topic: .auditEvents, pool: pool, logger: logger) { topic, body in
///     try await deliverOverHTTP(topic, body)          // returns the destination's AcceptedIDs
/// }
/// let task = Task { await relay.run() }               // cancel to stop
/// ```
public struct OutboxRelay: Sendable {
    public typealias Deliver = @Sendable (_ topic: OutboxTopic, _ body: [UInt8]) async throws -> AcceptedIDs

    public struct Settings: Sendable, Equatable {
        /// Rows per delivery.
        public var batchSize = 100
        /// Pause when the outbox had less than a full batch due.
        public var idleDelay: Duration = .milliseconds(250)
        /// Wait between attempts while the destination fails.
        public var destinationBackoff = Backoff(base: .milliseconds(250), cap: .seconds(30))
        /// Wait before a refused row is offered again (per row, by its attempts).
        public var rowBackoff = Backoff(base: .seconds(1), cap: .seconds(300), jitter: .equal)

        public init() {}
    }

    /// What one batch did.
    public struct BatchResult: Sendable, Equatable {
        public var claimed = 0
        public var acknowledged = 0
        public var postponed = 0

        public init(claimed: Int = 0, acknowledged: Int = 0, postponed: Int = 0) {
            self.claimed = claimed
            self.acknowledged = acknowledged
            self.postponed = postponed
        }
    }

    let topic: OutboxTopic
    let pool: DatabasePool
    let deliver: Deliver
    let logger: Logger
    let settings: Settings
    private let counters: Counters?

    public init(topic: OutboxTopic, pool: DatabasePool, logger: Logger, settings: Settings = Settings(),
                metrics: MetricsRegistry? = nil, deliver: @escaping Deliver) {
        self.topic = topic
        self.pool = pool
        self.deliver = deliver
        self.logger = logger
        self.settings = settings
        counters = metrics.map(Counters.init)
    }

    /// Runs until the task is cancelled.
    public func run() async {
        var failures = 0
        while !Task.isCancelled {
            let pause: Duration
            do {
                let result = try await deliverOneBatch()
                failures = 0
                pause = result.claimed < settings.batchSize ? settings.idleDelay : .zero
            } catch is CancellationError {
                return
            } catch {
                failures += 1
                pause = settings.destinationBackoff.delay(afterFailures: failures)
                counters?.failures.increment([topic.rawValue])
                logger.warning("outbox delivery failed; backing off", [
                    "topic": topic.rawValue, "failures": String(failures), "retry_in": "\(pause)", "error": "\(error)",
                ])
            }
            if pause > .zero { try? await Task.sleep(for: pause) }
        }
    }

    /// Claims up to `batchSize` due rows, delivers them, deletes what was acknowledged
    /// and postpones what was refused. Throws (leaving every row as it was) when the
    /// delivery itself failed.
    @discardableResult
    public func deliverOneBatch() async throws -> BatchResult {
        try await pool.transaction { tx in
            let rows = try await tx.query("""
                SELECT id, payload::text AS payload, attempts FROM \(SchemaName.platform).outbox
                WHERE topic = \(topic.rawValue) AND next_attempt_at <= now()
                ORDER BY created_at, id
                LIMIT \(settings.batchSize)
                FOR UPDATE SKIP LOCKED
                """)
            guard rows.count > 0 else { return BatchResult() }
            var ids: [UUID] = []
            var attempts: [UUID: Int] = [:]
            var body = Array("{\"\(topic.batchKey)\":[".utf8)
            for (index, row) in rows.enumerated() {
                let id = try row.decode("id", as: UUID.self)
                ids.append(id)
                attempts[id] = try row.decode("attempts", as: Int.self)
                if index > 0 { body.append(UInt8(ascii: ",")) }
                body += Array(try row.decode("payload", as: String.self).utf8)
            }
            body += Array("]}".utf8)

            let answer = try await deliver(topic, body)
            let claimed = Set(ids)
            let acknowledged = Set(answer.accepted.compactMap(UUID.init(uuidString:))).intersection(claimed)
            if !acknowledged.isEmpty {
                try await tx.execute("DELETE FROM \(SchemaName.platform).outbox WHERE id = ANY(\(Array(acknowledged)))")
            }
            let reasons = Dictionary((answer.rejected ?? []).map { ($0.id.lowercased(), $0.reason) }, uniquingKeysWith: { first, _ in first })
            let refused = ids.filter { !acknowledged.contains($0) }
            if !refused.isEmpty {
                let fallback = "not acknowledged by \(topic.destination.rawValue)"
                try await postpone(refused.map { ($0, attempts[$0] ?? 0, reasons[$0.uuidString.lowercased()] ?? fallback) }, in: tx)
                logger.warning("outbox rows refused by the destination; will retry", [
                    "topic": topic.rawValue, "rows": String(refused.count), "first_reason": reasons.values.first ?? "not acknowledged",
                ])
            }
            counters?.delivered.increment([topic.rawValue], by: UInt64(acknowledged.count))
            counters?.refused.increment([topic.rawValue], by: UInt64(refused.count))
            return BatchResult(claimed: ids.count, acknowledged: acknowledged.count, postponed: refused.count)
        }
    }

    /// One statement for all refused rows: each waits by its own attempt count.
    private func postpone(_ rows: [(id: UUID, attempts: Int, reason: String)], in tx: Transaction) async throws {
        let delays = rows.map { row in
            let delay = settings.rowBackoff.delay(afterFailures: row.attempts + 1)
            return delay.microseconds
        }
        try await tx.execute("""
            UPDATE \(SchemaName.platform).outbox AS o
            SET attempts = o.attempts + 1, last_error = left(r.reason, 1000),
                next_attempt_at = now() + r.delay_us * interval '1 microsecond'
            FROM unnest(\(rows.map(\.id)), \(delays), \(rows.map(\.reason))) AS r(id, delay_us, reason)
            WHERE o.id = r.id
            """)
    }

    private struct Counters: Sendable {
        let delivered: MetricsRegistry.Counter
        let refused: MetricsRegistry.Counter
        let failures: MetricsRegistry.Counter

        init(_ metrics: MetricsRegistry) {
            delivered = metrics.counter("muster_outbox_delivered_total", help: "Outbox rows acknowledged by their destination.",
                                        labels: ["topic"])
            refused = metrics.counter("muster_outbox_refused_total", help: "Outbox rows the destination refused (retried later).",
                                      labels: ["topic"])
            failures = metrics.counter("muster_outbox_delivery_failures_total",
                                       help: "Batches whose delivery failed (destination down or erroring).", labels: ["topic"])
        }
    }
}
