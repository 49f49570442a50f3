import MusterDatabase

/// The counters of `LoginThrottlePolicy`. Each reservation is one statement that
/// counts the attempt as a failure *before* the password is checked and refuses
/// it when a limit is reached; the row lock serialises parallel attempts, so
/// fifty at once still get exactly the allowed number through.
enum ThrottleStore {
    typealias Policy = LoginThrottlePolicy

    enum Admission: Equatable {
        case admitted
        case throttled(retryAfter: Int)
        /// The account is locked (or at its limit): answered as a plain failure.
        case locked
    }

    /// One attempt at `email`'s password or code from `address`, as login counts it: the pair,
    /// then the address, then the account (`.locked`: answered as a plain failure).
    static func reserveAttempt(email: String, address: String, in tx: Transaction) async throws -> Admission {
        var throttle = try await reservePair(email: email, address: address, in: tx)
        if throttle == .admitted { throttle = try await reserveAddress(address, in: tx) }
        guard throttle == .admitted else { return throttle }
        return try await reserveAccount(email: email, in: tx)
    }

    /// Counts an attempt against the (account, address) pair.
    static func reservePair(email: String, address: String, in tx: Transaction) async throws -> Admission {
        let admitted = try await tx.query("""
            INSERT INTO login_attempts AS a (email, address, failures) VALUES (\(email), \(address), 1)
            ON CONFLICT (email, address) DO UPDATE
            SET failures = a.failures + 1, last_failure_at = now(),
                blocked_until = CASE WHEN a.failures + 1 >= \(Policy.addressFailures)
                    THEN now() + least(\(Policy.firstBlockSeconds) * power(2, least(a.failures + 1 - \(Policy.addressFailures), 10)),
                                       \(Policy.longestBlockSeconds)) * interval '1 second' END
            WHERE a.blocked_until IS NULL OR a.blocked_until <= now()
            RETURNING failures
            """)
        if !admitted.isEmpty { return .admitted }
        let wait = try await tx.query("""
            SELECT ceil(extract(epoch FROM blocked_until - now()))::int AS wait FROM login_attempts
            WHERE email = \(email) AND address = \(address)
            """)
        return .throttled(retryAfter: max(1, try wait.first?.decode("wait", as: Int.self) ?? 1))
    }

    /// Counts an attempt against the client address across all accounts (password spraying).
    static func reserveAddress(_ address: String, in tx: some SQLQuerying) async throws -> Admission {
        let window = Policy.sprayWindowSeconds
        let admitted = try await tx.query("""
            INSERT INTO \(SchemaName.platform).address_failures AS s (address, window_started_at, failures) VALUES (\(address), now(), 1)
            ON CONFLICT (address) DO UPDATE
            SET failures = CASE WHEN s.window_started_at < now() - \(window) * interval '1 second' THEN 1 ELSE s.failures + 1 END,
                window_started_at = CASE WHEN s.window_started_at < now() - \(window) * interval '1 second' THEN now() ELSE s.window_started_at END
            WHERE s.window_started_at < now() - \(window) * interval '1 second' OR s.failures < \(Policy.sprayFailures)
            RETURNING failures
            """)
        if !admitted.isEmpty { return .admitted }
        let wait = try await tx.query("""
            SELECT ceil(extract(epoch FROM window_started_at + \(window) * interval '1 second' - now()))::int AS wait
            FROM \(SchemaName.platform).address_failures WHERE address = \(address)
            """)
        return .throttled(retryAfter: max(1, try wait.first?.decode("wait", as: Int.self) ?? 1))
    }

    /// Counts an attempt against the account from anywhere; `.locked` once locked or at the limit.
    static func reserveAccount(email: String, in tx: Transaction) async throws -> Admission {
        let window: SQL = "now() - \(Policy.accountWindowDays) * interval '1 day'"
        let admitted = try await tx.query("""
            INSERT INTO account_failures AS f (email, failures) VALUES (\(email), 1)
            ON CONFLICT (email) DO UPDATE
            SET failures = CASE WHEN f.first_failure_at < \(window) THEN 1 ELSE f.failures + 1 END,
                first_failure_at = CASE WHEN f.first_failure_at < \(window) THEN now() ELSE f.first_failure_at END
            WHERE f.locked_at IS NULL AND (f.failures < \(Policy.accountFailures) OR f.first_failure_at < \(window))
            RETURNING failures
            """)
        return admitted.isEmpty ? .locked : .admitted
    }

    /// A success: the pair's count and the account's run are cleared, the address's spray count gives back this attempt.
    static func succeeded(email: String, address: String, in tx: Transaction) async throws {
        try await tx.execute("DELETE FROM login_attempts WHERE email = \(email) AND address = \(address)")
        try await tx.execute("DELETE FROM account_failures WHERE email = \(email) AND locked_at IS NULL")
        try await tx.execute("""
            UPDATE \(SchemaName.platform).address_failures SET failures = greatest(failures - 1, 0) WHERE address = \(address)
            """)
    }

    /// After a failure: locks the account when this was its last allowed failure; `true` when it just got locked.
    static func lockIfExhausted(email: String, in tx: Transaction) async throws -> Bool {
        try await tx.execute("""
            UPDATE account_failures SET locked_at = now()
            WHERE email = \(email) AND locked_at IS NULL AND failures >= \(Policy.accountFailures)
            """) == 1
    }

    /// Clears the account's lock and every address's backoff for it (admin unlock, password reset).
    static func unlock(email: String, in tx: Transaction) async throws {
        try await tx.execute("DELETE FROM account_failures WHERE email = \(email)")
        try await tx.execute("DELETE FROM login_attempts WHERE email = \(email)")
    }

    /// Locked accounts and throttled (account, address) pairs, for the admins.
    static func current(in tx: Transaction) async throws -> (locked: [(email: String, at: String)], throttled: [(email: String, address: String, until: String)]) {
        let locked = try await tx.query("""
            SELECT email, to_char(locked_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS at
            FROM account_failures WHERE locked_at IS NOT NULL ORDER BY email
            """).map { (try $0.decode("email", as: String.self), try $0.decode("at", as: String.self)) }
        let throttled = try await tx.query("""
            SELECT email, address, to_char(blocked_until AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS until
            FROM login_attempts WHERE blocked_until > now() ORDER BY email, address LIMIT 200
            """).map { (try $0.decode("email", as: String.self), try $0.decode("address", as: String.self), try $0.decode("until", as: String.self)) }
        return (locked, throttled)
    }
}
