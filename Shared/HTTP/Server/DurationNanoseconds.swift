extension Duration {
    /// The duration in whole nanoseconds (the loop's clock is `MonotonicInstant`
    /// nanoseconds), saturating far beyond any timeout.
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        guard seconds < Int64.max / 1_000_000_000 - 1 else { return Int64.max / 2 }
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
