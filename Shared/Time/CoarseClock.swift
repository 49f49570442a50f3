import Glibc

/// `CLOCK_MONOTONIC_COARSE`: it ticks every few milliseconds and is read
/// without touching the hardware clock, for an eighth of the cost of
/// `ContinuousClock.now`. Enough for what is checked on every request but
/// measured in seconds or minutes (a pooled connection's age, a token bucket's
/// refill, a circuit breaker's open time).
public struct CoarseClock {
    /// Nanoseconds since an arbitrary start.
    public static var now: UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC_COARSE, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }

    /// Seconds since an arbitrary start, for breakers and token buckets.
    public static var seconds: Double { Double(now) / 1e9 }

    /// `duration` in nanoseconds, clamped to zero and to about a century
    /// (so that adding it to ``now`` cannot overflow).
    public static func nanoseconds(_ duration: Duration) -> UInt64 {
        let (seconds, attoseconds) = duration.components
        guard seconds >= 0 else { return 0 }
        guard seconds < 3_000_000_000 else { return 3_000_000_000 * 1_000_000_000 }
        return UInt64(seconds) * 1_000_000_000 + UInt64(attoseconds / 1_000_000_000)
    }
}
