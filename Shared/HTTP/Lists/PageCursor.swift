import Foundation

/// Where a page of a list ended, as the opaque `cursor` clients send back: the
/// fields that locate the last item (a sort key, a tie-breaking id), written as
/// base64url (no padding) of `field:field:…`. Every field but the last must be free
/// of `:`; the last may hold anything (a time with its offset).
///
/// ```swift
/// PageCursor(["1", "1740000000000001", "42"]).encoded     // "MToxNzQwMDAwMDAwMDAwMDAxOjQy"
/// PageCursor(encoded: text, fields: 3)?.fields           // nil for anything not made here
/// ```
public struct PageCursor: Sendable, Equatable {
    public let fields: [String]

    /// The longest cursor accepted (a cursor holds a key or two, never a document).
    public static let maxEncodedLength = 512

    public init(_ fields: [String]) {
        precondition(!fields.isEmpty && fields.dropLast().allSatisfy { !$0.contains(":") }, "only a cursor's last field may hold ':'")
        self.fields = fields
    }

    /// The cursor `encoded` holds if it has exactly `count` fields; nil otherwise.
    public init?(encoded: String, fields count: Int) {
        guard encoded.utf8.count <= Self.maxEncodedLength,
              encoded.utf8.allSatisfy({ Self.isBase64URL($0) }) else { return nil }
        var base64 = encoded.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        guard base64.utf8.count % 4 != 1 else { return nil }
        base64 += String(repeating: "=", count: (4 - base64.utf8.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), let text = String(validating: Array(data), as: UTF8.self) else { return nil }
        let fields = text.split(separator: ":", maxSplits: count - 1, omittingEmptySubsequences: false).map(String.init)
        guard fields.count == count else { return nil }
        self.fields = fields
    }

    public var encoded: String {
        Data(fields.joined(separator: ":").utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    private static func isBase64URL(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "-"), UInt8(ascii: "_"): true
        default: false
        }
    }
}
