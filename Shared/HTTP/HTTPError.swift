import MusterCore

/// An error a handler throws to answer with a status and the uniform error body
/// `{"error":{"code","message","request_id"}}`.
///
/// ```swift
/// guard let user = try await store.user(id) else { throw HTTPError.notFound("user") }
/// throw HTTPError(.conflict, code: "slug_taken", message: "That slug is already in use.")
/// ```
/// Any other error thrown by a handler becomes a `500` whose message reveals nothing.
public struct HTTPError: Error, Sendable, CustomStringConvertible {
    public var status: HTTPStatus
    public var code: String
    public var message: String
    /// Extra headers, e.g. `Retry-After` on `429`/`503`.
    public var headers: HTTPHeaders
    /// Closes the connection after answering (malformed framing, smuggling attempts).
    public var closesConnection: Bool

    public init(_ status: HTTPStatus, code: String, message: String, headers: HTTPHeaders = HTTPHeaders(),
                closesConnection: Bool = false) {
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers
        self.closesConnection = closesConnection
    }

    public var description: String { "\(status.rawValue) \(code): \(message)" }

    public static func badRequest(_ message: String, code: String = "bad_request") -> HTTPError {
        HTTPError(.badRequest, code: code, message: message)
    }

    public static func unauthorized(_ message: String = "Authentication is required.", code: String = "unauthorized") -> HTTPError {
        HTTPError(.unauthorized, code: code, message: message)
    }

    public static func forbidden(_ message: String = "You may not do this.") -> HTTPError {
        HTTPError(.forbidden, code: "forbidden", message: message)
    }

    /// `404`: unknown, or not yours (another agency's id is always `404`).
    public static func notFound(_ what: String = "resource") -> HTTPError {
        HTTPError(.notFound, code: "not_found", message: "No such \(what).")
    }

    public static func conflict(_ message: String, code: String = "conflict") -> HTTPError {
        HTTPError(.conflict, code: code, message: message)
    }

    public static func unprocessable(_ message: String, code: String = "validation_failed") -> HTTPError {
        HTTPError(.unprocessableEntity, code: code, message: message)
    }

    public static func tooManyRequests(retryAfter seconds: Int, message: String = "Too many requests; try again later.") -> HTTPError {
        HTTPError(.tooManyRequests, code: "rate_limited", message: message, headers: ["Retry-After": String(max(1, seconds))])
    }

    public static func unavailable(retryAfter seconds: Int, message: String = "The service is unavailable; try again shortly.") -> HTTPError {
        HTTPError(.serviceUnavailable, code: "unavailable", message: message, headers: ["Retry-After": String(max(1, seconds))])
    }

    public static let internalError = HTTPError(.internalServerError, code: "internal_error", message: "An internal error occurred.")

    /// The uniform JSON error response for `requestID`.
    public func response(requestID: String) -> HTTPResponse {
        var body = "{\"error\":{\"code\":"
        JSONText.appendQuoted(code, to: &body)
        body += ",\"message\":"
        JSONText.appendQuoted(message, to: &body)
        body += ",\"request_id\":"
        JSONText.appendQuoted(requestID, to: &body)
        body += "}}"
        var response = HTTPResponse.jsonBytes(Array(body.utf8), status: status)
        for field in headers { response.headers.add(field.name, field.value) }
        if closesConnection { response.headers["Connection"] = "close" }
        return response
    }
}
