import MusterCore
import MusterHTTP

/// JSON calls with Muster's conventions (`snake_case`, RFC 3339 times): the
/// body is encoded, `Accept`/`Content-Type` set, a 2xx response decoded, and any
/// other status thrown as ``HTTPClientError/Kind/unsuccessfulStatus`` with the
/// peer's `{"error":{…}}` body in ``HTTPClientError/peerError``.
///
/// ```swift
/// let created: Agency = try await client.json(.put, "http://…/internal/agencies/\(id)", body: request, as: Agency.self)
/// let health = try await client.json(.get, "http://…/readyz", as: Health.self)
/// try await client.json(.post, "http://…/internal/events", body: event, headers: ["Idempotency-Key": event.id])
/// ```
extension HTTPClient {
    public func json<Response: Decodable>(_ method: HTTPMethod, _ url: String, headers: HTTPHeaders = HTTPHeaders(),
                                          as type: Response.Type) async throws -> Response {
        try await send(Self.jsonRequest(method, url, headers: headers, body: nil)).decode(as: type)
    }

    public func json<Body: Encodable, Response: Decodable>(
        _ method: HTTPMethod, _ url: String, body: Body, headers: HTTPHeaders = HTTPHeaders(), as type: Response.Type
    ) async throws -> Response {
        let bytes = try JSONCoding.encode(body)
        return try await send(Self.jsonRequest(method, url, headers: headers, body: bytes)).decode(as: type)
    }

    /// For calls whose answer is only a status: succeeds on 2xx, ignoring the body.
    public func json<Body: Encodable>(_ method: HTTPMethod, _ url: String, body: Body,
                                      headers: HTTPHeaders = HTTPHeaders()) async throws {
        let bytes = try JSONCoding.encode(body)
        try await send(Self.jsonRequest(method, url, headers: headers, body: bytes)).requireSuccess()
    }

    private static func jsonRequest(_ method: HTTPMethod, _ url: String, headers: HTTPHeaders,
                                    body: [UInt8]?) -> HTTPClientRequest {
        var headers = headers
        if !headers.contains("Accept") { headers.add("Accept", "application/json") }
        if body != nil, !headers.contains("Content-Type") { headers.add("Content-Type", "application/json") }
        return HTTPClientRequest(method: method, url: url, headers: headers, body: body ?? [])
    }
}
