/// Exponential backoff with full jitter: the n-th consecutive failure waits a
/// random time between zero and `min(cap, base × 2ⁿ⁻¹)`, so that many relays
/// that failed together (the destination restarted) do not retry together.
///
/// ```swift
/// let backoff = Backoff(base: .milliseconds(200), cap: .seconds(30))
/// try await Task.sleep(for: backoff.delay(afterFailures: failures))
/// ```
public struct Backoff: Sendable, Equatable {
    public let base: Duration
    public let cap: Duration

    public init(base: Duration, cap: Duration) {
        precondition(base > .zero && cap >= base, "backoff needs 0 < base <= cap")
        self.base = base
        self.cap = cap
    }

    /// The ceiling of the wait after `failures` consecutive failures (zero for none).
    public func ceiling(afterFailures failures: Int) -> Duration {
        guard failures > 0 else { return .zero }
        // Doubling stops once it passes the cap, so large failure counts cannot overflow.
        var ceiling = base
        for _ in 1..<min(failures, 64) where ceiling < cap { ceiling = ceiling * 2 }
        return min(ceiling, cap)
    }

    /// A random wait in `0...ceiling(afterFailures:)`; `unit` (in `0...1`) is the random draw.
    public func delay(afterFailures failures: Int, unit: Double = Double.random(in: 0...1)) -> Duration {
        ceiling(afterFailures: failures) * min(max(unit, 0), 1)
    }
}
