import MusterCore
import MusterCrypto
import Synchronization

/// The SHA-256 of a token, as the cache's key: the cache never holds a usable token.
struct TokenDigest: Hashable, Sendable {
    private let words: (UInt64, UInt64, UInt64, UInt64)

    init(_ token: Substring) {
        words = token.withUTF8Bytes { SHA256.words(UnsafeRawBufferPointer($0)) }
    }

    static func == (lhs: TokenDigest, rhs: TokenDigest) -> Bool { lhs.words == rhs.words }

    func hash(into hasher: inout Hasher) {
        // Already uniformly random: one word is plenty.
        hasher.combine(words.0)
    }
}

/// A bounded map from verified tokens to what they proved, so that a repeated
/// token costs a hash and a lookup instead of a signature check.
///
/// Entries live until their token expires; when full, the oldest insertion goes.
/// `removeAll(session:)` drops a revoked session's tokens at once.
final class VerifiedTokenCache<Value: Sendable>: Sendable {
    private struct Entry {
        let value: Value
        let expiresAt: Int
        let session: String?
        /// Insertion number, to tell a live entry from a stale slot in `order`.
        let serial: UInt64
    }

    private struct State {
        var entries: [TokenDigest: Entry] = [:]
        /// Insertion order; may hold slots whose entry is gone or was replaced.
        var order: [(digest: TokenDigest, serial: UInt64)] = []
        var head = 0
        var nextSerial: UInt64 = 0
    }

    let capacity: Int
    private let state = Mutex(State())

    init(capacity: Int) {
        precondition(capacity > 0, "cache capacity must be positive")
        self.capacity = capacity
    }

    /// The cached value, unless absent or expired at `now` (expired entries are dropped).
    func value(for digest: TokenDigest, now: Int) -> Value? {
        state.withLock { state in
            guard let entry = state.entries[digest] else { return nil }
            guard now < entry.expiresAt else {
                state.entries[digest] = nil
                return nil
            }
            return entry.value
        }
    }

    func insert(_ value: Value, for digest: TokenDigest, expiresAt: Int, session: String?) {
        state.withLock { state in
            state.nextSerial += 1
            if state.entries[digest] == nil {
                while state.entries.count >= capacity, state.head < state.order.count {
                    let oldest = state.order[state.head]
                    state.head += 1
                    if state.entries[oldest.digest]?.serial == oldest.serial { state.entries[oldest.digest] = nil }
                }
            }
            state.entries[digest] = Entry(value: value, expiresAt: expiresAt, session: session, serial: state.nextSerial)
            state.order.append((digest, state.nextSerial))
            Self.compact(&state, capacity: capacity)
        }
    }

    /// Drops every entry of `session`.
    func removeAll(session: String) {
        state.withLock { state in
            state.entries = state.entries.filter { $0.value.session != session }
        }
    }

    var count: Int { state.withLock { $0.entries.count } }

    /// Keeps `order` within twice the capacity by dropping consumed and stale slots.
    private static func compact(_ state: inout State, capacity: Int) {
        guard state.order.count - state.head > 2 * capacity || state.head > capacity else { return }
        let entries = state.entries
        state.order = state.order[state.head...].filter { entries[$0.digest]?.serial == $0.serial }
        state.head = 0
    }
}
