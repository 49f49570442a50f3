import COpenSSL
import Synchronization

/// Owns one `EVP_PKEY`.
///
/// `@unchecked Sendable` because the key is never modified after it is created,
/// and OpenSSL allows a key that nobody modifies to be used by several threads at once.
final class KeyHandle: @unchecked Sendable {
    let pointer: OpaquePointer
    init(_ pointer: OpaquePointer) { self.pointer = pointer }
    deinit { EVP_PKEY_free(pointer) }
}

/// OpenSSL contexts prepared once with a key (`EVP_MD_CTX` for Ed25519,
/// `EVP_CIPHER_CTX` for AES-GCM) and lent to one caller at a time, so that the
/// hot paths skip the per-call setup.
///
/// ```swift
/// let pool = ContextPool(make: { try newPreparedContext() }, free: { EVP_MD_CTX_free($0) })
/// let ok = try pool.withContext { context in EVP_DigestVerify(context, …) == 1 }
/// ```
final class ContextPool: Sendable {
    /// `@unchecked Sendable`: a context is either idle in the pool or held by
    /// exactly one caller inside `withContext`, never both.
    private struct Context: @unchecked Sendable {
        let pointer: OpaquePointer
    }

    /// Idle contexts kept beyond this are freed: enough for every core, not a leak under bursts.
    private static let maximumIdle = 16

    private let idle = Mutex<[Context]>([])
    private let make: @Sendable () throws(CryptoError) -> OpaquePointer
    private let free: @Sendable (OpaquePointer) -> Void

    init(make: @escaping @Sendable () throws(CryptoError) -> OpaquePointer, free: @escaping @Sendable (OpaquePointer) -> Void) {
        self.make = make
        self.free = free
    }

    deinit {
        for context in idle.withLock({ $0 }) { free(context.pointer) }
    }

    /// Lends a context to `body`. A context whose use threw is freed rather than
    /// reused, since OpenSSL may have left it half-way through an operation.
    func withContext<R>(_ body: (OpaquePointer) throws(CryptoError) -> R) throws(CryptoError) -> R {
        let context: Context
        if let reused = idle.withLock({ $0.popLast() }) { context = reused } else { context = Context(pointer: try make()) }
        let result: R
        do throws(CryptoError) {
            result = try body(context.pointer)
        } catch {
            free(context.pointer)
            throw error
        }
        let kept = idle.withLock { idle in
            guard idle.count < Self.maximumIdle else { return false }
            idle.append(context)
            return true
        }
        if !kept { free(context.pointer) }
        return result
    }
}
