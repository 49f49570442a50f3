/// Runs `body` over `bytes` as one contiguous buffer, copying only when the
/// sequence has no contiguous storage of its own (arrays, slices and native
/// strings' UTF-8 views do).
@inline(__always)
func withContiguousBytes<R, E: Error>(_ bytes: some Sequence<UInt8>,
                                      _ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
    // `withContiguousStorageIfAvailable` only rethrows untyped errors: carry a typed one out in a Result.
    func attempt(_ buffer: UnsafeRawBufferPointer) -> Result<R, E> {
        do throws(E) { return .success(try body(buffer)) } catch { return .failure(error) }
    }
    let result = bytes.withContiguousStorageIfAvailable { attempt(UnsafeRawBufferPointer($0)) }
        ?? Array(bytes).withUnsafeBytes(attempt)
    return try result.get()
}

/// A byte array of at most `count` bytes filled by `fill`, which returns how many it wrote.
@inline(__always)
func makeBytes<E: Error>(count: Int, _ fill: (UnsafeMutablePointer<UInt8>) throws(E) -> Int) throws(E) -> [UInt8] {
    var failure: E?
    let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
        do throws(E) {
            initialized = try fill(buffer.baseAddress!)
        } catch {
            failure = error
            initialized = 0
        }
    }
    if let failure { throw failure }
    return bytes
}
