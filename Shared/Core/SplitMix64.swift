/// A small seeded random generator (SplitMix64): the same sequence on every machine, so
/// property tests and benchmarks can rebuild the data of any run from its seed. Not for secrets.
///
/// ```swift
/// var random = SplitMix64(seed: 7)
/// Int.random(in: 1...6, using: &random)   // the same die roll every run
/// ```
public struct SplitMix64: RandomNumberGenerator, Sendable {
    public var state: UInt64

    public init(seed: UInt64) { state = seed &* 0x9E37_79B9_7F4A_7C15 }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
