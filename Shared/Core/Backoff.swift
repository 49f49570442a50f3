/// Exponential backoff with jitter, the one every retry in Muster uses (the outbox
/// relays, `HTTPClient`'s retries, Notify's delivery schedule): the n-th consecutive
/// failure waits a random time up to `min(cap, base × 2ⁿ⁻¹)`, so that many callers
/// that failed together (the destination restarted) do not retry together. Full
/// jitter draws from zero; equal jitter from half the ceiling, for waits that must
/// not be skipped (a refused row is never due again at once).
///
/// ```swift
/// let backoff = Backoff(base: .milliseconds(200), cap: .seconds(30))
/// try await Task.sleep(for: backoff.delay(afterFailures: failures))
/// ```
public struct Backoff: Sendable, Equatable {
    public enum Jitter: Sendable, Equatable {
        /// A wait in `0...ceiling`.
        case full
        /// A wait in `ceiling/2...ceiling`.
        case equal
    }

    public let base: Duration
    public let cap: Duration
    public let jitter: Jitter

    public init(base: Duration, cap: Duration, jitter: Jitter = .full) {
        precondition(base > .zero && cap >= base, "backoff needs 0 < base <= cap")
        self.base = base
        self.cap = cap
        self.jitter = jitter
    }

    /// The ceiling of the wait after `failures` consecutive failures (zero for none).
    public func ceiling(afterFailures failures: Int) -> Duration {
        guard failures > 0 else { return .zero }
        // Doubling stops once it passes the cap, so large failure counts cannot overflow.
        var ceiling = base
        for _ in 1..<min(failures, 64) where ceiling < cap { ceiling = ceiling * 2 }
        return min(ceiling, cap)
    }

    /// A random wait up to `ceiling(afterFailures:)` (from half of it with equal
    /// jitter); `unit` (in `0...1`) is the random draw.
    public func delay(afterFailures failures: Int, unit: Double = Double.random(in: 0...1)) -> Duration {
        let draw = min(max(unit, 0), 1)
        let ceiling = ceiling(afterFailures: failures)
        switch jitter {
        case .full: return ceiling * draw
        case .equal: return ceiling * (0.5 + draw / 2)
        }
    }
}
