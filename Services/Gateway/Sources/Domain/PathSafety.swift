import MusterCore

/// Refuses request paths that could mean something else to a service than to
/// the Gateway: dot segments (plain or percent-encoded), encoded slashes and
/// backslashes, NUL, empty segments. Such paths are never forwarded.
///
/// ```swift
/// PathSafety.problem(in: "/api/v1/records/../internal")   // "dot segment"
/// PathSafety.problem(in: "/api/v1/records/courses")       // nil
/// ```
public enum PathSafety {
    public static func problem(in path: Substring) -> String? {
        path.withUTF8Bytes { bytes in
            var segmentStart = 0
            var index = 0
            while index <= bytes.count {
                let byte = index < bytes.count ? bytes[index] : UInt8(ascii: "/")
                switch byte {
                case UInt8(ascii: "/"):
                    let length = index - segmentStart
                    if index > 0, length == 0, index < bytes.count { return "empty segment" }
                    if length == 1, bytes[segmentStart] == UInt8(ascii: ".") { return "dot segment" }
                    if length == 2, bytes[segmentStart] == UInt8(ascii: "."), bytes[segmentStart + 1] == UInt8(ascii: ".") {
                        return "dot segment"
                    }
                    segmentStart = index + 1
                case UInt8(ascii: "\\"):
                    return "backslash"
                case UInt8(ascii: "%"):
                    guard index + 2 < bytes.count else { return "malformed percent-encoding" }
                    switch (bytes[index + 1], bytes[index + 2] | 0x20) {
                    case (UInt8(ascii: "2"), UInt8(ascii: "e")): return "encoded dot"
                    case (UInt8(ascii: "2"), UInt8(ascii: "f")), (UInt8(ascii: "5"), UInt8(ascii: "c")): return "encoded slash"
                    case (UInt8(ascii: "0"), UInt8(ascii: "0")): return "encoded NUL"
                    default: break
                    }
                default:
                    break
                }
                index += 1
            }
            return nil
        }
    }
}
