/// Request ids for requests that arrive without a well-formed one: 32 hex digits
/// from a per-loop generator seeded by the system's, so that the hot path makes
/// no system call. Ids need to be unique, not secret.
struct RequestIDGenerator {
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
        let high = next(), low = next()
        return String(unsafeUninitializedCapacity: 32) { buffer in
            let digits: StaticString = "0123456789abcdef"
            for index in 0..<16 {
                buffer[index] = digits.utf8Start[Int(high >> UInt64(60 - index * 4) & 0xF)]
                buffer[16 + index] = digits.utf8Start[Int(low >> UInt64(60 - index * 4) & 0xF)]
            }
            return 32
        }
    }
}
