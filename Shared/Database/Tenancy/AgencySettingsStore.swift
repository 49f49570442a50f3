import MusterCore

/// An agency's settings, in its schema's `agency_settings` (one `jsonb` row per
/// key), read and written through typed keys (``AgencySettingKey``) inside the
/// agency's scoped transaction, with the change they belong to.
///
/// ```swift
/// try await pool.withAgency(agency) { tx in
///     let (name, replyTo) = try await tx.settings(AgencySettingKeys.agencyName, AgencySettingKeys.replyTo)  // one statement
///     try await tx.set(AgencySettingKeys.replyTo, to: "training@metro.example")
///     try await tx.reset(AgencySettingKeys.replyTo)                                                    // back to its default
/// }
/// ```
extension Transaction {
    /// The setting's value, or its default when the agency has none stored.
    nonisolated(nonsending) public func setting<Value>(_ key: AgencySettingKey<Value>) async throws -> Value {
        try await settings(key)
    }

    /// Several settings in one statement, as a tuple in the order asked.
    nonisolated(nonsending) public func settings<each Value>(_ keys: repeat AgencySettingKey<each Value>) async throws -> (repeat each Value) {
        try Self.settings(from: try await query(try selecting(repeat each keys)), repeat each keys)
    }

    /// The statement ``settings(_:)`` sends, to go out with independent reads in one
    /// round trip (`pipeline`); ``settings(from:_:)`` reads its answer.
    ///
    /// ```swift
    /// let rows = try await tx.pipeline([UserStore.selecting(id), try tx.selecting(AgencySettingKeys.policy)])
    /// let policy = try Transaction.settings(from: rows[1], AgencySettingKeys.policy)
    /// ```
    public func selecting<each Value>(_ keys: repeat AgencySettingKey<each Value>) throws -> SQL {
        var names: [String] = []
        for key in repeat each keys { names.append(key.name) }
        return "SELECT key, value::text AS value FROM \(try settingsTable()) WHERE key = ANY(\(names))"
    }

    /// The settings in the answer to ``selecting(_:)``, each its default when the agency has none stored.
    public static func settings<each Value>(from rows: Rows, _ keys: repeat AgencySettingKey<each Value>) throws -> (repeat each Value) {
        var stored: [String: [UInt8]] = [:]
        for row in rows { stored[try row.decode("key", as: String.self)] = Array(try row.decode("value", as: String.self).utf8) }
        return (repeat try Self.value(each keys, from: stored))
    }

    /// Stores the agency's value; writing the value it already has changes nothing (not even `updated_at`).
    nonisolated(nonsending) public func set<Value>(_ key: AgencySettingKey<Value>, to value: Value) async throws {
        let table = try settingsTable()
        try await execute("""
            INSERT INTO \(table) AS s (key, value) VALUES (\(key.name), \(try JSONB(value)))
            ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = now()
            WHERE s.value IS DISTINCT FROM excluded.value
            """)
    }

    /// Forgets the agency's value: the setting is its default again.
    nonisolated(nonsending) public func reset<Value>(_ key: AgencySettingKey<Value>) async throws {
        try await execute("DELETE FROM \(try settingsTable()) WHERE key = \(key.name)")
    }

    /// The agency's table, named with its schema: settings are agency data, reached only in its scope.
    private func settingsTable() throws(PoolError) -> SQL {
        guard let schema else { throw .notScopedToAgency }
        return "\(schema).agency_settings"
    }

    private static func value<Value>(_ key: AgencySettingKey<Value>, from stored: [String: [UInt8]]) throws -> Value {
        guard let json = stored[key.name] else { return key.defaultValue }
        return try JSONCoding.decode(Value.self, from: json)
    }
}
