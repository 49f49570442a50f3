import MusterCore
import MusterHTTP

/// A complete response: status, headers and the whole body (at most the
/// configured ``HTTPClient/Configuration/maxResponseBytes``).
///
/// ```swift
/// let response = try await client.send(HTTPClientRequest(url: "http://127.0.0.1:8082/readyz"))
/// if response.status == .ok, response.headers["content-type"] == "application/json" { … }
/// let agency = try response.decode(as: Agency.self)   // throws on non-2xx, with the peer's error decoded
/// ```
public struct HTTPClientResponse: Sendable {
    public var status: HTTPStatus
    public var headers: HTTPHeaders
    public var body: [UInt8]

    public init(status: HTTPStatus, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public var isSuccess: Bool { (200..<300).contains(status.rawValue) }

    /// Returns the response if its status is 2xx; otherwise throws
    /// ``HTTPClientError/Kind/unsuccessfulStatus`` carrying it and the peer's decoded error body.
    @discardableResult
    public func requireSuccess() throws(HTTPClientError) -> HTTPClientResponse {
        guard isSuccess else { throw HTTPClientError.unsuccessfulStatus(self) }
        return self
    }

    /// The 2xx body decoded with Muster's JSON conventions (`snake_case`, RFC 3339 times).
    public func decode<T: Decodable>(as type: T.Type = T.self) throws(HTTPClientError) -> T {
        try requireSuccess()
        do {
            return try JSONCoding.decode(type, from: body)
        } catch {
            throw HTTPClientError.undecodable(self, error)
        }
    }
}

/// What the retry logic reads from either kind of response.
protocol HTTPClientResponseHead {
    var status: HTTPStatus { get }
    var headers: HTTPHeaders { get }
}

extension HTTPClientResponse: HTTPClientResponseHead {}
