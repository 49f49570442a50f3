extension Duration {
    /// Whole milliseconds (rounded down), as libcurl options and SQL intervals take them.
    var milliseconds: Int {
        Int(components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000)
    }

    /// Seconds with their fraction, for metrics and date arithmetic.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
