import Foundation
import MusterCore

/// When to try again after a temporary failure: exponential backoff with
/// jitter, up to a window counted from acceptance, after which the message fails.
///
/// With the defaults, the first retry comes 15–30 s after the first failure,
/// then about 1, 2, 4… minutes later, at most an hour apart, for 24 hours.
///
/// ```swift
/// let schedule = RetrySchedule()
/// schedule.nextAttempt(afterFailedAttempts: 1, acceptedAt: accepted, now: Date())   // ~20 s from now
/// ```
public struct RetrySchedule: Sendable {
    public var firstDelay: Duration
    public var maxDelay: Duration
    public var window: Duration

    public init(firstDelay: Duration = .seconds(30), maxDelay: Duration = .seconds(3600), window: Duration = .seconds(24 * 3600)) {
        self.firstDelay = firstDelay
        self.maxDelay = maxDelay
        self.window = window
    }

    /// The delay after `attempts` failed attempts: `firstDelay × 2^(attempts-1)`,
    /// capped at `maxDelay`, scaled by `jitter` (in `0.5...1`, random by default)
    /// so that replicas and messages that failed together do not retry together:
    /// a ``Backoff`` with equal jitter.
    public func delay(afterFailedAttempts attempts: Int, jitter: Double = Double.random(in: 0.5...1)) -> Duration {
        Backoff(base: firstDelay, cap: maxDelay, jitter: .equal).delay(afterFailures: max(attempts, 1), unit: (jitter - 0.5) * 2)
    }

    /// When to try again, or `nil` when the window has passed: the last attempt
    /// is made at the window's end at the latest.
    public func nextAttempt(afterFailedAttempts attempts: Int, acceptedAt: Date, now: Date,
                            jitter: Double = Double.random(in: 0.5...1)) -> Date? {
        let deadline = acceptedAt.addingTimeInterval(window.seconds)
        guard now < deadline else { return nil }
        let next = now.addingTimeInterval(delay(afterFailedAttempts: attempts, jitter: jitter).seconds)
        return min(next, deadline)
    }
}
