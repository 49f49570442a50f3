import Foundation

extension UUID {
    /// Lower-case canonical text (`9f0c2b1e-3a4d-…`), as ids are stored, sent and hashed.
    /// Formats the 16 bytes directly: `uuidString` goes through `snprintf` (and
    /// `lowercased()` copies again), which showed up in the ingest and proxy profiles.
    public var lowercasedText: String { hexText(dashes: true) }

    /// The 32 lower-case hex digits without dashes (schema names are built from it).
    public var compactHexText: String { hexText(dashes: false) }

    private func hexText(dashes: Bool) -> String {
        withUnsafeBytes(of: uuid) { bytes in
            String(unsafeUninitializedCapacity: dashes ? 36 : 32) { out in
                let digits: StaticString = "0123456789abcdef"
                var position = 0
                for (index, byte) in bytes.enumerated() {
                    if dashes, index == 4 || index == 6 || index == 8 || index == 10 {
                        out[position] = UInt8(ascii: "-")
                        position += 1
                    }
                    out[position] = digits.utf8Start[Int(byte >> 4)]
                    out[position + 1] = digits.utf8Start[Int(byte & 0x0F)]
                    position += 2
                }
                return position
            }
        }
    }
}

extension UUID {
    /// Parses the canonical 36-character form (either case) straight from its UTF-8; nil for anything
    /// else. `UUID(uuidString:)` goes through `sscanf`, which was most of the time Records spent reading
    /// a roster's 200,000 training records and a visible part of token verification.
    ///
    /// ```swift
    /// "9f0c2b1e-3a4d-4e5f-8a6b-7c8d9e0f1a2b".utf8.withContiguousStorageIfAvailable(UUID.init(canonicalUTF8:))
    /// ```
    public init?(canonicalUTF8 utf8: UnsafeBufferPointer<UInt8>) {
        guard utf8.count == 36 else { return nil }
        var bytes: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        let parsed = withUnsafeMutableBytes(of: &bytes) { output -> Bool in
            var index = 0
            for byte in 0..<16 {
                // Dashes sit before bytes 4, 6, 8 and 10 (offsets 8, 13, 18, 23).
                if byte == 4 || byte == 6 || byte == 8 || byte == 10 {
                    guard utf8[index] == UInt8(ascii: "-") else { return false }
                    index += 1
                }
                guard let high = Self.nibble(utf8[index]), let low = Self.nibble(utf8[index + 1]) else { return false }
                output[byte] = high << 4 | low
                index += 2
            }
            return true
        }
        guard parsed else { return nil }
        self.init(uuid: bytes)
    }

    private static func nibble(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit &- UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit &- UInt8(ascii: "a") &+ 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit &- UInt8(ascii: "A") &+ 10
        default: nil
        }
    }
}
