import MusterHTTP

/// One request for ``HTTPClient``: method, absolute URL, headers and body bytes,
/// plus optional per-request overrides of the client's limits.
///
/// ```swift
/// var request = HTTPClientRequest(method: .post, url: "http://127.0.0.1:8083/internal/events",
///                                 headers: ["X-Request-Id": id, "Content-Type": "application/json"], body: bytes)
/// request.timeout = .seconds(30)
/// let response = try await client.send(request)
/// ```
///
/// The client owns the message framing: `Content-Length`, `Transfer-Encoding`,
/// `Connection` and the other hop-by-hop fields given here are dropped, so a
/// forwarded header can never desynchronise the connection.
public struct HTTPClientRequest: Sendable {
    public var method: HTTPMethod
    /// An absolute `http` or `https` URL, sent exactly as given (no dot-segment squashing).
    public var url: String
    public var headers: HTTPHeaders
    public var body: [UInt8]
    /// Whether sending this request twice is harmless, which is what allows retries.
    /// Defaults to the method's idempotency, or `true` when the request carries an
    /// `Idempotency-Key` header at creation; set it to opt in or out explicitly.
    public var isIdempotent: Bool
    /// Overrides ``HTTPClient/Configuration/connectTimeout`` for this request.
    public var connectTimeout: Duration?
    /// Overrides ``HTTPClient/Configuration/timeout`` (the whole of one attempt) for this request.
    public var timeout: Duration?
    /// Overrides ``HTTPClient/Configuration/maxResponseBytes`` for this request.
    public var maxResponseBytes: Int?

    public init(method: HTTPMethod = .get, url: String, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = [],
                idempotent: Bool? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.isIdempotent = idempotent ?? (method.isIdempotent || headers.contains("Idempotency-Key"))
    }
}
