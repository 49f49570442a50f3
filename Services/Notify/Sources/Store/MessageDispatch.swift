import Foundation
import MusterContracts
import MusterCore
import MusterDataKeys
import MusterDatabase

/// A claimed message, read and marked `sending`, with all it takes to render it.
struct PreparedMessage: Sendable {
    let claim: DeliveryQueue.Claim
    let template: TemplateName
    let recipient: EmailRecipient
    /// `nil` when the sealed data could not be opened (then the message fails).
    let data: [String: String]?
    /// This attempt's number (1 for the first).
    let attempt: Int
    let acceptedAt: Date
    let profile: AgencyProfile
    let override: TemplateOverride?
}

/// The message side of a claim: marks claimed messages `sending`, opens their
/// attempt and reads what rendering needs (`OutcomeStore` records how it ended).
struct MessageDispatch: Sendable {
    let pool: DatabasePool
    let keys: DataKeyStore
    let queue: DeliveryQueue

    private struct Claimed: Decodable {
        var id: MessageID
        var template: String
        var recipientUserID: UserID?
        var recipientAddress: String
        var recipientName: String?
        var sealedData: [UInt8]?
        var attempts: Int
        var createdAt: Date
    }

    /// Marks the claimed messages of one scope `sending`, opens an attempt for each
    /// (closing as `abandoned` any attempt a dead replica left open) and reads them.
    /// Claims of messages with nothing left to do are released.
    func prepare(_ claims: [DeliveryQueue.Claim], scope: Tenancy, replica: String) async throws -> [PreparedMessage] {
        let ids = claims.map(\.message)
        return try await pool.within(scope) { tx in
            try await KeyedLookups.useIndexes(in: tx)
            let claimed = try await tx.query("""
                WITH claimed AS (
                    UPDATE \(scope.schema).messages
                    SET status = 'sending', attempts = attempts + 1, updated_at = now(), next_attempt_at = NULL
                    WHERE id = ANY(\(ids)) AND status IN ('queued', 'sending', 'retrying')
                    RETURNING id, template, recipient_user_id, recipient_address, recipient_name, sealed_data, attempts, created_at
                ), abandoned AS (
                    UPDATE \(scope.schema).message_attempts
                    SET finished_at = clock_timestamp(), outcome = 'abandoned',
                        reply = 'no outcome was recorded: the replica sending it stopped'
                    WHERE message_id = ANY(\(ids)) AND finished_at IS NULL
                ), opened AS (
                    INSERT INTO \(scope.schema).message_attempts (message_id, number, replica)
                    SELECT id, attempts, \(replica) FROM claimed
                )
                SELECT id, template, recipient_user_id, recipient_address, recipient_name, sealed_data, attempts, created_at
                FROM claimed
                """, decoding: Claimed.self)
            let found = Set(claimed.map(\.id))
            try await queue.release(claims.filter { !found.contains($0.message) }, in: tx)
            guard !claimed.isEmpty else { return [] }

            var profile = AgencyProfile(name: "Muster")
            var overrides: [TemplateName: StoredOverride] = [:]
            if scope.agencyID != nil {
                profile = try await AgencyProfileStore.load(in: tx)
                overrides = try await TemplateOverrideStore.load(claimed.compactMap { TemplateName(rawValue: $0.template) }, in: tx)
            }
            let claimsByID = Dictionary(claims.map { ($0.message, $0) }, uniquingKeysWith: { first, _ in first })
            var prepared: [PreparedMessage] = []
            for message in claimed {
                // Intake stores only known templates as sendable.
                guard let template = TemplateName(rawValue: message.template), let claim = claimsByID[message.id] else { continue }
                let data = try? await message.sealedData.asyncMap { try await keys.open($0, for: message.id, scope: scope, in: tx) }
                prepared.append(PreparedMessage(
                    claim: claim, template: template,
                    recipient: EmailRecipient(userID: message.recipientUserID, address: message.recipientAddress, name: message.recipientName),
                    data: data, attempt: message.attempts, acceptedAt: message.createdAt, profile: profile,
                    override: overrides[template]?.parsed))
            }
            return prepared
        }
    }
}

extension Optional {
    /// `map` for an async transform.
    fileprivate func asyncMap<U>(_ transform: (Wrapped) async throws -> U) async rethrows -> U? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
