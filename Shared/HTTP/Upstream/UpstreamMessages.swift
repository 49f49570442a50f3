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

    /// The request line, headers and body as sent on the wire.
    func encoded(authority: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256 + body.count)
        out.append(contentsOf: method.rawValue.utf8)
        out.append(0x20)
        out.append(contentsOf: target.utf8)
        out.append(contentsOf: " HTTP/1.1\r\nHost: ".utf8)
        out.append(contentsOf: authority.utf8)
        out.append(contentsOf: "\r\n".utf8)
        for field in headers where !HTTPHeaders.isHopByHop(field.name) {
            out.append(contentsOf: field.name.utf8)
            out.append(contentsOf: ": ".utf8)
            out.append(contentsOf: field.value.utf8)
            out.append(contentsOf: "\r\n".utf8)
        }
        if !body.isEmpty || method == .post || method == .put || method == .patch {
            out.append(contentsOf: "Content-Length: ".utf8)
            out.append(contentsOf: String(body.count).utf8)
            out.append(contentsOf: "\r\n".utf8)
        }
        out.append(contentsOf: "\r\n".utf8)
        out.append(contentsOf: body)
        return out
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
