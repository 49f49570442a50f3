import MusterCore

/// A response: status, headers and a body that is either bytes or a stream.
///
/// ```swift
/// return try .json(user, status: .created)
/// return HTTPResponse(status: .noContent)
/// ```
public struct HTTPResponse: Sendable {
    public var status: HTTPStatus
    public var headers: HTTPHeaders
    public var body: HTTPBody
    /// Fields encoded once and written after `headers` (see ``ConstantFields``).
    public var constantFields: ConstantFields?

    public init(status: HTTPStatus = .ok, headers: HTTPHeaders = HTTPHeaders(), body: HTTPBody = .empty) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A JSON body encoded with Muster's conventions (`snake_case`, RFC 3339 times).
    public static func json<T: Encodable>(_ value: T, status: HTTPStatus = .ok) throws -> HTTPResponse {
        jsonBytes(try JSONCoding.encode(value), status: status)
    }

    /// Pre-encoded JSON bytes.
    public static func jsonBytes(_ bytes: [UInt8], status: HTTPStatus = .ok) -> HTTPResponse {
        HTTPResponse(status: status, headers: jsonHeaders, body: .bytes(bytes))
    }

    /// Shared by every JSON response: adding a header later copies it, reading it costs nothing.
    private static let jsonHeaders: HTTPHeaders = ["Content-Type": "application/json"]

    public static func text(_ text: String, status: HTTPStatus = .ok, contentType: String = "text/plain; charset=utf-8") -> HTTPResponse {
        var headers = HTTPHeaders()
        headers.add("Content-Type", contentType)
        return HTTPResponse(status: status, headers: headers, body: .bytes(Array(text.utf8)))
    }
}

/// A response body. Streams are sent with chunked transfer coding.
///
/// ```swift
/// HTTPResponse(body: .bytes(Array("done".utf8)))
/// HTTPResponse(body: .stream(AsyncThrowingStream { try await export.next() }))
/// ```
public enum HTTPBody: Sendable {
    case bytes([UInt8])
    case stream(Stream)

    /// A streamed body's chunks, boxed. `AsyncThrowingStream` is a resilient
    /// type of the standard library: an enum holding one has a layout known only
    /// at run time, so every response copied, moved or matched would go through
    /// the runtime's value witnesses (a measurable share of proxying a request).
    /// Behind a class reference, `HTTPBody` and `HTTPResponse` have a fixed layout.
    public final class Stream: Sendable {
        public let chunks: AsyncThrowingStream<[UInt8], any Error>

        public init(_ chunks: AsyncThrowingStream<[UInt8], any Error>) { self.chunks = chunks }
    }

    /// A body streamed from `chunks`.
    public static func stream(_ chunks: AsyncThrowingStream<[UInt8], any Error>) -> HTTPBody { .stream(Stream(chunks)) }

    public static let empty = HTTPBody.bytes([])

    /// The body is in memory, not a stream.
    public var isBuffered: Bool {
        if case .bytes = self { return true }
        return false
    }

    /// The bytes of a buffered body (empty for a stream).
    public var bytes: [UInt8] {
        if case .bytes(let bytes) = self { return bytes }
        return []
    }
}
