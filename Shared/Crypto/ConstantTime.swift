/// Comparison whose time depends only on the lengths, never on where bytes differ.
///
/// ```swift
/// guard ConstantTime.equals(computed, stored) else { return .invalid }
/// ```
public enum ConstantTime {
    public static func equals(_ a: some Collection<UInt8>, _ b: some Collection<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for (x, y) in zip(a, b) { difference |= x ^ y }
        return difference == 0
    }
}
