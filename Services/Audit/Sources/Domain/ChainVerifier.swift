/// Recomputes a chain, event by event in `seq` order, and reports the first place
/// where it does not hold. Pure: the store feeds it events, the caller checks
/// checkpoint signatures (it needs the keys) and hands over the valid ones.
///
/// An event is broken when its `seq` is not the next one (the one expected was
/// deleted: that missing `seq` is reported), its `prev_hash` is not the hash
/// before it, its `hash` is not the hash of its canonical encoding (a changed
/// field), it lies beyond the recorded chain head (an insertion the service did
/// not make), or a checkpoint says a different hash for its `seq`. A chain that
/// ends before its head or before a checkpoint lost its tail: the first missing
/// `seq` is reported.
///
/// ```swift
/// var verifier = ChainVerifier(start: .genesis, head: head.seq, checkpoints: validCheckpoints)
/// for event in events { verifier.check(event) }
/// let report = verifier.finish()      // {"ok":true,"events":1042,"first_broken_seq":null,"checkpoints":3}
/// ```
public struct ChainVerifier: Sendable {
    public struct Report: Codable, Sendable, Equatable {
        public var ok: Bool
        public var events: Int
        public var firstBrokenSeq: Int64?
        public var checkpoints: Int

        public init(ok: Bool, events: Int, firstBrokenSeq: Int64?, checkpoints: Int) {
            self.ok = ok
            self.events = events
            self.firstBrokenSeq = firstBrokenSeq
            self.checkpoints = checkpoints
        }

        // `first_broken_seq` is always present (null when the chain holds).
        public func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(ok, forKey: .ok)
            try container.encode(events, forKey: .events)
            try container.encode(firstBrokenSeq, forKey: .firstBrokenSeq)
            try container.encode(checkpoints, forKey: .checkpoints)
        }
    }

    private var previous: ChainLink
    private let head: Int64
    /// Hashes that valid checkpoints claim, by seq, not yet met.
    private var anchors: [Int64: [[UInt8]]]
    private var checkedCheckpoints = 0
    private var events = 0
    private var firstBroken: Int64?

    /// `start`: the link the first event must follow (genesis, or a retention cut);
    /// `head`: the chain head's seq as recorded; `checkpoints`: checkpoints whose
    /// signatures were checked and hold (those before `start` cannot be checked and are skipped).
    public init(start: ChainLink, head: Int64, checkpoints: [Checkpoint]) {
        previous = start
        self.head = head
        anchors = [:]
        for checkpoint in checkpoints where checkpoint.seq >= start.seq {
            if checkpoint.seq == start.seq {
                checkedCheckpoints += 1
                if checkpoint.hash != start.hash { broken(at: start.seq) }
            } else {
                anchors[checkpoint.seq, default: []].append(checkpoint.hash)
            }
        }
    }

    /// The last link checked (the start until an event came).
    public var last: ChainLink { previous }

    /// Records a break found elsewhere (e.g. a checkpoint whose signature fails).
    public mutating func broken(at seq: Int64) {
        firstBroken = min(firstBroken ?? seq, seq)
    }

    /// Counts a checkpoint that was checked outside (an invalid signature).
    public mutating func countCheckpoint() { checkedCheckpoints += 1 }

    /// Checks the next event (events must come in ascending `seq`).
    public mutating func check(_ event: ChainedEvent) {
        events += 1
        let expected = previous.seq + 1
        if event.seq != expected {
            broken(at: min(expected, event.seq))
        } else if event.seq > head {
            broken(at: event.seq)
        } else if event.prevHash != previous.hash || EventEncoding.hash(event) != event.hash {
            broken(at: event.seq)
        }
        if let claimed = anchors.removeValue(forKey: event.seq) {
            checkedCheckpoints += claimed.count
            if claimed.contains(where: { $0 != event.hash }) { broken(at: event.seq) }
        }
        previous = ChainLink(seq: event.seq, hash: event.hash, recordedAt: event.recordedAt)
    }

    /// The verdict, once every event has been checked.
    public mutating func finish() -> Report {
        let last = previous.seq
        if last < head { broken(at: last + 1) }
        // Anchors left over name events that are missing: inside the chain (a gap,
        // already reported) or beyond its end (a lost tail).
        for (seq, claimed) in anchors {
            checkedCheckpoints += claimed.count
            broken(at: min(seq, last + 1))
        }
        anchors = [:]
        return Report(ok: firstBroken == nil, events: events, firstBrokenSeq: firstBroken, checkpoints: checkedCheckpoints)
    }
}
