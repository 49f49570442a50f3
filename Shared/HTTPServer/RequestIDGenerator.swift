import MusterHTTP

/// Request ids for requests that arrive without a well-formed one.
///
/// 15 characters of `[A-Za-z0-9_-]` carry 90 random bits: plenty to tell
/// requests apart, and short enough for Swift's inline small strings, so that
/// the hot path allocates nothing for them. The per-loop generator is seeded
/// from the system's and makes no system call; ids need to be unique, not secret.
struct RequestIDGenerator {
    static let length = 15
    private static let alphabet: StaticString = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

    private var state: UInt64

    init() {
        var system = SystemRandomNumberGenerator()
        state = system.next()
    }

    /// wyrand: fast, passes statistical tests, one multiply per output.
    private mutating func next() -> UInt64 {
        state &+= 0xa076_1d64_78bd_642f
        let product = state.multipliedFullWidth(by: state ^ 0xe703_7ed1_a0b4_28db)
        return product.high ^ product.low
    }

    mutating func generate() -> String {
        // 60 bits from the first word, 30 from the second, six bits a character.
        let words = (next(), next())
        return String(unsafeUninitializedCapacity: Self.length) { buffer in
            for index in 0..<Self.length {
                let bits = index < 10 ? words.0 >> UInt64(index * 6) : words.1 >> UInt64((index - 10) * 6)
                buffer[index] = Self.alphabet.utf8Start[Int(bits & 63)]
            }
            return Self.length
        }
    }
}
