import Glibc
import MusterHTTP
import MusterHTTPServer

/// Field values made into strings for a parsed response head. The few values
/// that come on nearly every response and are too long for Swift's inline small
/// strings (over 15 bytes) are shared rather than allocated every time.
enum FieldValues {
    private static let common = ["application/json", "application/json; charset=utf-8", "text/plain; charset=utf-8",
                                 "text/html; charset=utf-8"]

    static func string(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        if bytes.count > 15 {
            for value in common where value.utf8.count == bytes.count {
                let same = value.utf8.withContiguousStorageIfAvailable { memcmp($0.baseAddress!, bytes.baseAddress!, bytes.count) == 0 }
                if same == true { return value }
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
