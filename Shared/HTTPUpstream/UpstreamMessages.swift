import MusterHTTP
import MusterHTTPServer

/// A request for one upstream instance: the proxy's end-to-end headers and a buffered body.
///
/// The client owns the framing: it writes `Host`, `Content-Length` and nothing
/// hop-by-hop; such fields given here are dropped, so a forwarded header can
/// never desynchronise the upstream connection.
public struct UpstreamRequest: Sendable {
    public var method: HTTPMethod
    /// An absolute path with optional query, sent as is.
    public var target: String
    public var headers: HTTPHeaders
    public var body: [UInt8]
    /// How long the response head may take to arrive, connecting included;
    /// a streamed body must then keep making progress within it.
    public var timeout: Duration

    public init(method: HTTPMethod, target: String, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = [],
                timeout: Duration = .seconds(30)) {
        self.method = method
        self.target = target
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }

    /// Appends the request line, headers and body as sent on the wire.
    func encode(authority: String, into out: inout [UInt8]) {
        // Sized up front: a service credential alone is ~300 bytes, and growing the buffer copies it.
        var size = method.rawValue.utf8.count + target.utf8.count + authority.utf8.count + 64 + body.count
        for field in headers { size += field.name.utf8.count + field.value.utf8.count + 4 }
        out.reserveCapacity(out.count + size)
        out.appendUTF8(method.rawValue)
        out.append(0x20)
        out.appendUTF8(target)
        out.appendUTF8(" HTTP/1.1\r\nHost: ")
        out.appendUTF8(authority)
        out.appendUTF8("\r\n")
        for field in headers where !HTTPHeaders.isHopByHop(field.name) {
            out.appendUTF8(field.name)
            out.appendUTF8(": ")
            out.appendUTF8(field.value)
            out.appendUTF8("\r\n")
        }
        if !body.isEmpty || method == .post || method == .put || method == .patch {
            out.appendUTF8("Content-Length: ")
            out.appendUTF8(String(body.count))
            out.appendUTF8("\r\n")
        }
        out.appendUTF8("\r\n")
        out.append(contentsOf: body)
    }
}

/// An upstream's answer. A small body (up to the client's buffered limit, with a
/// `Content-Length`) arrives as bytes; anything else as a stream paced by its reader.
public struct UpstreamResponse: Sendable {
    public var status: HTTPStatus
    /// As received, but for `Content-Length` and `Transfer-Encoding`: the client
    /// has consumed the framing, and the server writes its own when answering.
    public var headers: HTTPHeaders
    public var body: HTTPBody
}
