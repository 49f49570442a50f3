import Foundation
import MusterContracts
import MusterCore
import MusterDatabase
import MusterHTTP

/// Delivers one topic of the outbox to its destination service, in batches, for as
/// long as the service runs. Safe with several replicas: each batch is claimed with
/// `FOR UPDATE SKIP LOCKED`. A row is deleted only once the destination acknowledged
/// its id; a failed delivery is retried with exponential backoff and jitter. The
/// destination is idempotent by id, so a row delivered twice (a replica killed between
/// the destination's answer and the commit) is stored once.
public struct OutboxRelay: Sendable {
    public typealias Deliver = @Sendable (_ topic: OutboxTopic, _ body: [UInt8]) async throws -> AcceptedIDs

    let topic: OutboxTopic
    let pool: DatabasePool
    let deliver: Deliver
    let logger: Logger
    let batchSize: Int
    let idleDelay: Duration

    public init(topic: OutboxTopic, pool: DatabasePool, logger: Logger, batchSize: Int = 100,
                idleDelay: Duration = .milliseconds(250), deliver: @escaping Deliver) {
        self.topic = topic
        self.pool = pool
        self.deliver = deliver
        self.logger = logger
        self.batchSize = batchSize
        self.idleDelay = idleDelay
    }

    /// Runs until the task is cancelled.
    public func run() async {
        while !Task.isCancelled {
            let delivered: Int
            do {
                delivered = try await deliverOneBatch()
            } catch is CancellationError {
                return
            } catch {
                logger.warning("outbox relay batch failed", ["topic": topic.rawValue, "error": "\(error)"])
                delivered = 0
            }
            if delivered < batchSize {
                try? await Task.sleep(for: idleDelay)
            }
        }
    }

    /// Claims up to `batchSize` due rows, delivers them, and deletes what was acknowledged.
    /// Returns how many rows were acknowledged.
    @discardableResult
    public func deliverOneBatch() async throws -> Int {
        try await pool.transaction { tx in
            let rows = try await tx.query("""
                SELECT id, payload::text AS payload, attempts FROM \(SchemaName.platform).outbox
                WHERE topic = \(topic.rawValue) AND next_attempt_at <= now()
                ORDER BY created_at, id
                LIMIT \(batchSize)
                FOR UPDATE SKIP LOCKED
                """)
            guard rows.count > 0 else { return 0 }
            var ids: [UUID] = []
            var body = Array("{\"\(topic.batchKey)\":[".utf8)
            for (index, row) in rows.enumerated() {
                ids.append(try row.decode("id", as: UUID.self))
                if index > 0 { body.append(UInt8(ascii: ",")) }
                body += Array(try row.decode("payload", as: String.self).utf8)
            }
            body += Array("]}".utf8)
            do {
                let accepted = try await deliver(topic, body)
                let acknowledged = accepted.accepted.compactMap(UUID.init(uuidString:)).filter(Set(ids).contains)
                try await tx.execute("DELETE FROM \(SchemaName.platform).outbox WHERE id = ANY(\(acknowledged))")
                let missing = ids.filter { !Set(acknowledged).contains($0) }
                if !missing.isEmpty {
                    try await postpone(missing, error: "not acknowledged by \(topic.destination.rawValue)", in: tx)
                }
                return acknowledged.count
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                try await postpone(ids, error: "\(error)", in: tx)
                logger.warning("outbox delivery failed; will retry", ["topic": topic.rawValue, "rows": String(ids.count),
                                                                      "error": "\(error)"])
                return 0
            }
        }
    }

    /// Backoff: 2^attempts seconds (capped at 5 minutes), with ±50 % jitter.
    private func postpone(_ ids: [UUID], error: String, in tx: Transaction) async throws {
        try await tx.execute("""
            UPDATE \(SchemaName.platform).outbox
            SET attempts = attempts + 1,
                last_error = left(\(error), 1000),
                next_attempt_at = now() + least(power(2, attempts), 300) * (0.5 + random()) * interval '1 second'
            WHERE id = ANY(\(ids))
            """)
    }
}
