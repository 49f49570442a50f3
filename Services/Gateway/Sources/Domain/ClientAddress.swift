import Glibc

/// Who the client is, and what the Gateway tells services about it.
///
/// A request from an untrusted peer: the client is the peer, whatever its
/// `X-Forwarded-For` says (the header is replaced). From a trusted proxy (a load
/// balancer in `MUSTER_GATEWAY_TRUSTED_PROXIES`): the client is the nearest
/// untrusted address of its `X-Forwarded-For`, and its `X-Forwarded-Proto` is kept.
///
/// ```swift
/// let trusted = try AddressRanges(parsing: ["10.0.0.0/8"])
/// ClientAddress.resolve(peer: "10.1.2.3", forwardedFor: "203.0.113.9, 10.1.2.2", trusted: trusted)  // "203.0.113.9"
/// ```
public enum ClientAddress {
    /// `forwardedFor` is read only for a trusted peer (most requests never look the field up).
    public static func resolve(peer: String, forwardedFor: @autoclosure () -> String?, trusted: AddressRanges) -> String {
        guard !trusted.isEmpty, trusted.contains(peer), let forwardedFor = forwardedFor() else { return peer }
        var client = peer
        for hop in forwardedFor.split(separator: ",").reversed() {
            let address = hop.trimmingCharacters(in: " \t")
            guard AddressRanges.parse(address) != nil else { break }
            client = address
            if !trusted.contains(address) { break }
        }
        return client
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in set: String) -> String {
        var text = self
        while let first = text.first, set.contains(first) { text.removeFirst() }
        while let last = text.last, set.contains(last) { text.removeLast() }
        return String(text)
    }
}

/// A list of CIDR ranges (`10.0.0.0/8`, `2001:db8::/32`, or single addresses).
public struct AddressRanges: Sendable {
    private struct Range: Sendable {
        let bytes: [UInt8]
        let prefix: Int
    }

    private let ranges: [Range]

    public init(parsing entries: [String]) throws(AddressRangeError) {
        ranges = try entries.map { entry throws(AddressRangeError) in
            let parts = entry.split(separator: "/", maxSplits: 1)
            guard let bytes = Self.parse(String(parts[0])) else { throw AddressRangeError(entry: entry) }
            let prefix = parts.count == 2 ? Int(parts[1]) : bytes.count * 8
            guard let prefix, (0...(bytes.count * 8)).contains(prefix) else { throw AddressRangeError(entry: entry) }
            return Range(bytes: bytes, prefix: prefix)
        }
    }

    public var isEmpty: Bool { ranges.isEmpty }

    public func contains(_ address: String) -> Bool {
        guard let bytes = Self.parse(address) else { return false }
        return ranges.contains { range in
            guard range.bytes.count == bytes.count else { return false }
            var bits = range.prefix, index = 0
            while bits > 0 {
                let mask: UInt8 = bits >= 8 ? 0xFF : ~(0xFF >> UInt8(bits))
                if range.bytes[index] & mask != bytes[index] & mask { return false }
                bits -= 8
                index += 1
            }
            return true
        }
    }

    /// The 4 or 16 bytes of a numeric IPv4 or IPv6 address.
    static func parse(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 { return withUnsafeBytes(of: &v6) { Array($0) } }
        return nil
    }
}

public struct AddressRangeError: Error, CustomStringConvertible {
    public let entry: String
    public var description: String { "\(entry.debugDescription) is not an address or CIDR range" }
}
