import MusterDatabase

/// The delivery statements (prepare a claim, record outcomes) find their rows
/// by arrays of keys (`= ANY(ids)`). Their plans are prepared once per
/// connection and reused: one planned while a table was still small (a new
/// agency, a quiet hour) keeps scanning the whole table as it grows, and the
/// attempts table only grows. Inside these transactions the planner takes the
/// keys' indexes, whatever the tables' size when it planned.
enum KeyedLookups {
    static func useIndexes(in tx: Transaction) async throws {
        try await tx.execute("SET LOCAL enable_seqscan = off")
    }
}
