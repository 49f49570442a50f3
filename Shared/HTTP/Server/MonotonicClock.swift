import MusterCore

/// Nanoseconds on `CLOCK_MONOTONIC`: deadlines must not move when the wall clock is set.
enum MonotonicClock {
    static func now() -> Int64 {
        MonotonicInstant.now.nanoseconds
    }
}

extension Duration {
    /// The duration in whole nanoseconds, saturating far beyond any timeout.
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        guard seconds < Int64.max / 1_000_000_000 - 1 else { return Int64.max / 2 }
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
