/// A connection's prepared statements, by text and parameter types.
struct StatementCache {
    private var names: [StatementKey: String] = [:]
    /// Names ever allocated on this connection (forgotten ones stay prepared server-side).
    private(set) var allocated = 0

    func name(for key: StatementKey) -> String? { names[key] }

    mutating func allocate(for key: StatementKey) -> String {
        allocated += 1
        let name = "muster_\(allocated)"
        names[key.withoutValues] = name
        return name
    }

    mutating func forget(_ key: StatementKey) {
        names[key] = nil
    }
}
