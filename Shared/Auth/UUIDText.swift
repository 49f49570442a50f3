import Foundation
import MusterCore
import MusterCrypto

/// Parses the canonical 36-character UUID form (either case) straight from its
/// UTF-8: three ids per new token made `UUID(uuidString:)` a visible part of
/// verification's cost (it goes through `sscanf`); Audit's ingest reads ids with it too.
///
/// ```swift
/// UUIDText.parse("9f0c2b1e-3a4d-4e5f-8a6b-7c8d9e0f1a2b")   // a UUID; nil for anything else
/// ```
public enum UUIDText {
    public static func parse(_ text: String) -> UUID? {
        text.withUTF8Bytes { utf8 -> UUID? in
            guard utf8.count == 36 else { return nil }
            var bytes: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
            var ok = true
            withUnsafeMutableBytes(of: &bytes) { output in
                var index = 0
                for byte in 0..<16 {
                    // Dashes sit before bytes 4, 6, 8 and 10 (offsets 8, 13, 18, 23).
                    if byte == 4 || byte == 6 || byte == 8 || byte == 10 {
                        ok = ok && utf8[index] == UInt8(ascii: "-")
                        index += 1
                    }
                    guard let high = Hex.nibble(utf8[index]), let low = Hex.nibble(utf8[index + 1]) else {
                        ok = false
                        return
                    }
                    output[byte] = high << 4 | low
                    index += 2
                }
            }
            return ok ? UUID(uuid: bytes) : nil
        }
    }
}
