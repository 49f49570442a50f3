import MusterContracts
import MusterCore
import MusterDatabase

/// The receiving half of the outbox: what a destination (Audit for audit events,
/// Notify for emails) does with a batch another service's ``OutboxRelay`` posted.
/// It groups the items by tenancy, stores each group in a transaction of its
/// own (`concurrency` groups at a time), and answers which ids are now stored —
/// the relay deletes exactly those — and which it refused and why:
///
/// - an agency this service has not provisioned (``AgencyNotProvisioned``) is
///   refused, so the sender's outbox offers the items again once it has been;
/// - a group the store refuses with ``OutboxRefusal`` carries that reason;
/// - a group whose storing failed otherwise is refused as well and logged; if
///   nothing at all could be stored, the error is thrown (the route answers
///   `503` and the relay backs off).
///
/// ```swift
/// let receiver = OutboxReceiver(topic: .emails, logger: logger)
/// let receipt = try await receiver.receive(batch.messages, id: { $0.id.description }, tenancy: { Tenancy($0.agencyID) }) { tenancy, messages in
///     try await pool.within(tenancy) { tx in try await store(messages, in: tx) }     // idempotent by id
/// }
/// return try .json(receipt.answer)                                                   // AcceptedIDs
/// ```
public struct OutboxReceiver: Sendable {
    public let topic: OutboxTopic
    /// Groups stored at the same time.
    public let concurrency: Int
    let logger: Logger

    public init(topic: OutboxTopic, logger: Logger, concurrency: Int = 1) {
        self.topic = topic
        self.logger = logger
        self.concurrency = max(1, concurrency)
    }

    /// Stores `items` group by group with `store`, which gets one tenancy's items
    /// (in their order) and must be idempotent by id. `rejected` lists items the
    /// caller refused already (e.g. ones that did not validate).
    public func receive<Item: Sendable>(_ items: [Item], id: (Item) -> String, tenancy: (Item) -> Tenancy,
                                        rejected: [RejectedItem] = [],
                                        store: @escaping @Sendable (Tenancy, [Item]) async throws -> Void) async throws -> OutboxReceipt {
        var groups: [Tenancy: [Item]] = [:]
        var order: [Tenancy] = []
        for item in items {
            let key = tenancy(item)
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(item)
        }
        var receipt = OutboxReceipt(accepted: [], rejected: rejected, notProvisioned: 0)
        var failures: [any Error] = []
        await withTaskGroup(of: (Tenancy, (any Error)?).self) { group in
            var pending = order.makeIterator()
            func startNext() {
                guard let key = pending.next(), let members = groups[key] else { return }
                group.addTask {
                    do {
                        try await store(key, members)
                        return (key, nil)
                    } catch {
                        return (key, error)
                    }
                }
            }
            for _ in 0..<concurrency { startNext() }
            while let (key, failure) = await group.next() {
                let ids = groups[key]!.map(id)
                switch failure {
                case nil:
                    receipt.accepted += ids
                case let error as AgencyNotProvisioned:
                    logger.warning("outbox items for an agency not provisioned here; refused",
                                   ["topic": topic.rawValue, "agency": key.description, "items": String(ids.count)])
                    receipt.rejected += ids.map { RejectedItem(id: $0, reason: "\(error); retry after provisioning") }
                    receipt.notProvisioned += ids.count
                case let refusal as OutboxRefusal:
                    receipt.rejected += ids.map { RejectedItem(id: $0, reason: refusal.reason) }
                case let error?:
                    logger.error("storing outbox items failed", ["topic": topic.rawValue, "agency": key.description, "error": "\(error)"])
                    receipt.rejected += ids.map { RejectedItem(id: $0, reason: "storage failed; retry") }
                    failures.append(error)
                }
                startNext()
            }
        }
        if receipt.accepted.isEmpty, let failure = failures.first { throw failure }
        return receipt
    }
}

/// What an ``OutboxReceiver`` did with a batch.
public struct OutboxReceipt: Sendable, Equatable {
    /// Ids now stored (or stored before: a repeat): the relay deletes these.
    public var accepted: [String]
    /// Ids refused, each with its reason: the relay offers them again later.
    public var rejected: [RejectedItem]
    /// How many of the refused belong to an agency not provisioned here.
    public var notProvisioned: Int

    /// The answer to the relay (`POST /internal/events`, `/internal/messages`).
    public var answer: AcceptedIDs { AcceptedIDs(accepted: accepted, rejected: rejected.isEmpty ? nil : rejected) }
}

/// Thrown by an ``OutboxReceiver``'s store to refuse one group with a reason the
/// sender records (its outbox offers the items again), without counting as a failure.
public struct OutboxRefusal: Error, Sendable {
    public let reason: String

    public init(reason: String) {
        self.reason = reason
    }
}
