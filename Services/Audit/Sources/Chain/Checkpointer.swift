import MusterCore
import MusterDatabase

/// Signs checkpoints, but only over a chain that holds: the events since the newest
/// earlier checkpoint (whose own signature must hold) are recomputed first, so a
/// change made behind the service's back is never sealed into a new checkpoint.
///
/// ```swift
/// let checkpoint = try await checkpointer.checkpoint(.agency(id), kind: .onDemand)   // at the head
/// let cut = try await checkpointer.checkpoint(chain, kind: .retentionCut, at: 5000)
/// ```
public struct Checkpointer: Sendable {
    let verification: ChainVerification
    let keys: AuditKeys

    public init(verification: ChainVerification) {
        self.verification = verification
        keys = verification.keys
    }

    /// The chain does not verify up to where a checkpoint was asked for.
    public struct ChainBroken: Error, CustomStringConvertible {
        public let chain: AuditChain
        public let seq: Int64
        public var description: String { "audit chain \(chain) is broken at seq \(seq); no checkpoint signed" }
    }

    /// A checkpoint at `seq` (default: the head), or nil when the chain is empty, or
    /// when `kind` is `.periodic` and nothing was added since the last checkpoint.
    /// An existing checkpoint at exactly that seq is returned instead of a new one,
    /// except for a retention cut, which is always its own.
    public func checkpoint(_ chain: AuditChain, kind: Checkpoint.Kind, at seq: Int64? = nil) async throws -> Checkpoint? {
        let store = verification.checkpoints
        let (head, last, base, cut) = try await verification.events.pool.withChain(chain) { tx in
            let row = try await tx.query("SELECT (SELECT seq FROM chain_head) AS head, (SELECT coalesce(max(seq), 0) FROM events) AS last")[0]
            let head = try row.decode("head", as: Int64.self)
            let target = min(seq ?? head, head)
            return (head, try row.decode("last", as: Int64.self), try await store.latest(of: chain, atOrBelow: target, in: tx),
                    try await store.latestCut(of: chain, in: tx))
        }
        // Rows past the head were not appended by this service: sign nothing until someone looked.
        guard last <= head else { throw ChainBroken(chain: chain, seq: head + 1) }
        let target = min(seq ?? head, head)
        guard target > 0 else { return nil }
        if let base, base.seq == target {
            if kind == .periodic { return nil }
            if kind != .retentionCut || base.kind == .retentionCut { return base }
        }
        let publicKeys = try await keys.publicKeys()
        var start = ChainLink.genesis
        for anchor in [cut, base].compactMap({ $0 }) where anchor.seq > start.seq && anchor.seq <= target {
            guard let key = publicKeys[anchor.kid], anchor.isValid(with: key) else { throw ChainBroken(chain: chain, seq: anchor.seq) }
            start = ChainLink(seq: anchor.seq, hash: anchor.hash, recordedAt: anchor.signedAt)
        }
        var verifier = ChainVerifier(start: start, head: target, checkpoints: [])
        try await verification.scan(chain, after: start.seq, through: target, into: &verifier)
        let link = verifier.last
        if let broken = verifier.finish().firstBrokenSeq { throw ChainBroken(chain: chain, seq: broken) }
        let checkpoint = Checkpoint.sign(link, of: chain, kind: kind, at: .now(), with: try await keys.signingKey())
        try await verification.events.pool.withChain(chain) { tx in try await store.insert(checkpoint, in: tx) }
        return checkpoint
    }
}
