extension Duration {
    /// Whole milliseconds (rounded down), as libcurl options and SQL intervals take them.
    var milliseconds: Int {
        Int(components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000)
    }
}
