import MusterContracts
import MusterCore
import MusterCrypto
import MusterDatabase

/// Verifies a whole chain: recomputes every hash from the stored rows and checks
/// every checkpoint, those stored and those the caller kept elsewhere
/// (``ChainVerifier`` holds the rules).
///
/// Checkpoints are read first, then the head and the last stored seq in one
/// statement, so events appended meanwhile are never mistaken for forged ones.
/// Verification starts after the newest retention cut whose signature holds.
///
/// ```swift
/// let report = try await verification.verify(.agency(id), supplied: kept)
/// report.ok, report.firstBrokenSeq
/// ```
public struct ChainVerification: Sendable {
    let events: EventStore
    let checkpoints: CheckpointStore
    let keys: AuditKeys
    /// Events read per query.
    static let pageSize = 5000

    public init(events: EventStore, keys: AuditKeys) {
        self.events = events
        checkpoints = CheckpointStore(pool: events.pool)
        self.keys = keys
    }

    /// A supplied checkpoint that is not one of this chain's (malformed, or another agency's).
    public struct ForeignCheckpoint: Error, Equatable {
        public let index: Int
    }

    public func verify(_ chain: AuditChain, supplied: [CheckpointDocument] = []) async throws -> ChainVerifier.Report {
        var given: [Checkpoint] = []
        for (index, document) in supplied.enumerated() {
            guard let checkpoint = document.checkpoint(of: chain) else { throw ForeignCheckpoint(index: index) }
            given.append(checkpoint)
        }
        let (stored, head, last) = try await events.pool.withChain(chain) { tx in
            let stored = try await checkpoints.all(of: chain, in: tx)
            let row = try await tx.query("SELECT (SELECT seq FROM chain_head) AS head, (SELECT coalesce(max(seq), 0) FROM events) AS last")[0]
            return (stored, try row.decode("head", as: Int64.self), try row.decode("last", as: Int64.self))
        }
        let publicKeys = try await keys.publicKeys()
        var valid: [Checkpoint] = []
        var invalid: [Checkpoint] = []
        for checkpoint in stored + given {
            if let key = publicKeys[checkpoint.kid], checkpoint.isValid(with: key) { valid.append(checkpoint) } else { invalid.append(checkpoint) }
        }
        let cut = valid.filter { $0.kind == .retentionCut }.max { $0.seq < $1.seq }
        let start = cut.map { ChainLink(seq: $0.seq, hash: $0.hash, recordedAt: $0.signedAt) } ?? .genesis
        var verifier = ChainVerifier(start: start, head: head, checkpoints: valid)
        for checkpoint in invalid where checkpoint.seq >= start.seq {
            verifier.countCheckpoint()
            verifier.broken(at: checkpoint.seq)
        }
        try await scan(chain, after: start.seq, through: max(head, last), into: &verifier)
        return verifier.finish()
    }

    /// Feeds the events `after+1 … through` to `verifier`, a page at a time.
    func scan(_ chain: AuditChain, after: Int64, through: Int64, into verifier: inout ChainVerifier) async throws {
        var position = after
        while position < through {
            let page = try await events.range(of: chain, after: position, through: through, limit: Self.pageSize)
            guard let last = page.last else { break }
            for event in page { verifier.check(event) }
            position = last.seq
        }
    }
}
