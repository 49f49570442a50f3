import MusterCore

extension Array where Element == UInt8 {
    /// Appends a string's UTF-8 bytes in one copy. (`append(contentsOf: text.utf8)`
    /// goes through the view's generic copying path, a measurable share of
    /// encoding a head.)
    @inline(__always)
    package mutating func appendUTF8(_ text: String) {
        text.withUTF8Bytes { append(contentsOf: $0) }
    }
}
