/// A `Duration` in the units the platform's interfaces take.
///
/// ```swift
/// Duration.milliseconds(1500).milliseconds   // 1500
/// Duration.milliseconds(1500).seconds        // 1.5
/// ```
extension Duration {
    /// Whole milliseconds (rounded down), as libcurl options and SQL intervals take them.
    public var milliseconds: Int {
        Int(components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000)
    }

    /// Whole microseconds (rounded down), as PostgreSQL intervals hold them.
    public var microseconds: Int {
        Int(components.seconds) * 1_000_000 + Int(components.attoseconds / 1_000_000_000_000)
    }

    /// Whole nanoseconds (`MonotonicInstant`'s unit), saturating far beyond any timeout.
    public var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        guard seconds < Int64.max / 1_000_000_000 - 1 else { return Int64.max / 2 }
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }

    /// Seconds with their fraction, for metrics and date arithmetic.
    public var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
