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
