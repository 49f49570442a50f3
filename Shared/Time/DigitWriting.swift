extension UnsafeMutableBufferPointer<UInt8> {
    /// Writes `value` (not negative) as `width` decimal digits, zero-padded, at `offset`:
    /// the fixed-width fields of the date and time forms this module writes.
    func putDigits(_ value: Int64, at offset: Int, width: Int) {
        var rest = value
        for position in stride(from: offset + width - 1, through: offset, by: -1) {
            self[position] = UInt8(ascii: "0") + UInt8(rest % 10)
            rest /= 10
        }
    }
}
