import CSystem
import Glibc
import MusterHTTP
import MusterHTTPServer

/// One upstream instance an ``UpstreamClient`` connects to: `http://host:port`,
/// its address resolved once when the endpoint is made.
///
/// ```swift
/// let records = try UpstreamEndpoint(url: "http://10.0.0.7:8082")
/// records.url   // "http://10.0.0.7:8082"
/// ```
public struct UpstreamEndpoint: Hashable, Sendable, CustomStringConvertible {
    /// The URL as configured, without a trailing slash: names the instance in logs and metrics.
    public let url: String
    /// `Host` header value for requests to it.
    public let authority: String
    let address: ResolvedAddress

    public init(url: String) throws(UpstreamError) {
        var text = url
        while text.hasSuffix("/") { text.removeLast() }
        guard text.hasPrefix("http://") else { throw UpstreamError(.invalidEndpoint, "\(url) is not an http:// URL") }
        let authority = String(text.dropFirst("http://".count))
        guard !authority.isEmpty, !authority.contains("/"), !authority.contains("@") else {
            throw UpstreamError(.invalidEndpoint, "\(url) must be http://host:port without a path")
        }
        var host = authority[...], port = 80
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw UpstreamError(.invalidEndpoint, "\(url): bad IPv6 literal") }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let rest = authority[authority.index(after: close)...]
            if rest.hasPrefix(":") { port = Int(rest.dropFirst()) ?? -1 }
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            port = Int(authority[authority.index(after: colon)...]) ?? -1
        }
        guard (1...65535).contains(port), !host.isEmpty else { throw UpstreamError(.invalidEndpoint, "\(url): bad host or port") }
        self.url = text
        self.authority = authority
        self.address = try ResolvedAddress(host: String(host), port: port)
    }

    public var description: String { url }

    public static func == (lhs: UpstreamEndpoint, rhs: UpstreamEndpoint) -> Bool { lhs.url == rhs.url }
    public func hash(into hasher: inout Hasher) { hasher.combine(url) }
}

/// A socket address from `getaddrinfo` (numeric addresses need no lookup).
struct ResolvedAddress: Sendable {
    let storage: sockaddr_storage
    let length: socklen_t

    init(host: String, port: Int) throws(UpstreamError) {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_NUMERICSERV
        var results: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &results)
        guard status == 0, let first = results else {
            throw UpstreamError(.invalidEndpoint, "cannot resolve \(host): \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(results) }
        var storage = sockaddr_storage()
        withUnsafeMutableBytes(of: &storage) { destination in
            destination.copyMemory(from: UnsafeRawBufferPointer(start: first.pointee.ai_addr, count: Int(first.pointee.ai_addrlen)))
        }
        self.storage = storage
        self.length = first.pointee.ai_addrlen
    }

    var family: Int32 { Int32(storage.ss_family) }
}
