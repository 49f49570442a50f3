/// The limits on failed logins (NIST SP 800-63B §5.2.2), without handing an
/// attacker a lockout weapon:
///
/// - per account **and** client address: after `addressFailures` failures in a
///   row, that address waits before its next try for that account, doubling from
///   `firstBlock` up to `longestBlock`; other addresses are not affected;
/// - per address across accounts: `sprayFailures` failures within `sprayWindow`
///   stop that address (password spraying);
/// - per account from anywhere: `accountFailures` consecutive failures within
///   `accountWindow` lock the account until an admin or a password reset unlocks it.
///
/// Every failure is reserved in the database *before* the password is checked,
/// so parallel attempts cannot pass a limit (see `ThrottleStore`, which also
/// computes the doubling wait in the same statement).
enum LoginThrottlePolicy {
    static let addressFailures = 5
    static let firstBlockSeconds = 60
    static let longestBlockSeconds = 15 * 60
    static let sprayFailures = 50
    static let sprayWindowSeconds = 15 * 60
    static let accountFailures = 100
    static let accountWindowDays = 30
}
