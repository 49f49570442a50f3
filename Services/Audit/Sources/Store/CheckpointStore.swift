import MusterDatabase
import MusterTime

/// The SQL of one chain's signed checkpoints (append-only, like its events).
///
/// ```swift
/// let store = CheckpointStore(pool: pool)
/// try await store.insert(checkpoint)
/// let (page, next) = try await store.page(of: chain, before: nil, limit: 50)
/// ```
public struct CheckpointStore: Sendable {
    public let pool: DatabasePool

    public init(pool: DatabasePool) { self.pool = pool }

    /// A stored checkpoint and its row id (the list cursor).
    public struct Stored: Sendable, Equatable {
        public var rowID: Int64
        public var checkpoint: Checkpoint
    }

    public func insert(_ checkpoint: Checkpoint, in tx: Transaction) async throws {
        try await tx.execute("""
            INSERT INTO checkpoints (seq, hash, kind, signed_at, kid, signature)
            VALUES (\(checkpoint.seq), \(checkpoint.hash), \(checkpoint.kind.rawValue), \(checkpoint.signedAt),
                    \(checkpoint.kid), \(checkpoint.signature))
            """)
    }

    /// Every checkpoint of the chain, by seq (for verification).
    public func all(of chain: AuditChain, in tx: Transaction) async throws -> [Checkpoint] {
        try Self.decode(try await tx.query("SELECT \(Self.columns) FROM checkpoints ORDER BY seq, id"), chain: chain).map(\.checkpoint)
    }

    /// The newest checkpoint at or below `seq` (the base a new one is verified from).
    public func latest(of chain: AuditChain, atOrBelow seq: Int64, in tx: Transaction) async throws -> Checkpoint? {
        let rows = try await tx.query("SELECT \(Self.columns) FROM checkpoints WHERE seq <= \(seq) ORDER BY seq DESC, id DESC LIMIT 1")
        return try Self.decode(rows, chain: chain).first?.checkpoint
    }

    /// The newest retention cut: verification of what remains starts there.
    public func latestCut(of chain: AuditChain, in tx: Transaction) async throws -> Checkpoint? {
        let rows = try await tx.query("""
            SELECT \(Self.columns) FROM checkpoints WHERE kind = \(Checkpoint.Kind.retentionCut.rawValue)
            ORDER BY seq DESC, id DESC LIMIT 1
            """)
        return try Self.decode(rows, chain: chain).first?.checkpoint
    }

    /// Checkpoints newest first, `limit` at a time, before row `before` (the cursor).
    public func page(of chain: AuditChain, before: Int64?, limit: Int) async throws -> (items: [Checkpoint], next: Int64?) {
        let rows = try await pool.withChain(chain) { tx in
            try await tx.query("""
                SELECT \(Self.columns) FROM checkpoints WHERE id < \(before ?? Int64.max) ORDER BY id DESC LIMIT \(limit + 1)
                """)
        }
        var stored = try Self.decode(rows, chain: chain)
        guard stored.count > limit else { return (stored.map(\.checkpoint), nil) }
        stored.removeLast()
        return (stored.map(\.checkpoint), stored.last?.rowID)
    }

    private static let columns: SQL = """
        id, seq, hash, kind, (extract(epoch FROM signed_at) * 1000000)::int8 AS signed_us, kid, signature
        """

    private static func decode(_ rows: Rows, chain: AuditChain) throws -> [Stored] {
        try rows.map { row in
            let kindText = try row.decode(column: 3, as: String.self)
            guard let kind = Checkpoint.Kind(rawValue: kindText) else {
                throw RowDecodingError(type: Checkpoint.Kind.self, reason: "\(kindText) is not a checkpoint kind")
            }
            return Stored(rowID: try row.decode(column: 0), checkpoint: Checkpoint(
                chain: chain, seq: try row.decode(column: 1), hash: try row.decode(column: 2), kind: kind,
                signedAt: MicroTime(microseconds: try row.decode(column: 4)), kid: try row.decode(column: 5),
                signature: try row.decode(column: 6)))
        }
    }
}
