extension StringProtocol {
    /// Calls `body` with the text's UTF-8 bytes, lent in place: native and literal
    /// strings (and their slices) are contiguous, so nothing is copied or retained.
    /// `String.withUTF8` is mutating, and calling it on a copy of a parameter costs
    /// a retain and a release — on a hot path, per field, per route, per request.
    ///
    /// ```swift
    /// let hasQuery = target.withUTF8Bytes { $0.contains(UInt8(ascii: "?")) }
    /// ```
    @inlinable
    public func withUTF8Bytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        if let result = try utf8.withContiguousStorageIfAvailable(body) { return result }
        return try Array(utf8).withUnsafeBufferPointer(body)
    }
}
