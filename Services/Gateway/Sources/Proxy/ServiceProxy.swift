import MusterContracts
import MusterCore
import MusterHTTP
import MusterHTTPClient
import MusterService

/// Forwards a public request to the service that owns its path.
///
/// Sets `X-Forwarded-For` from the socket's peer (an incoming value is replaced,
/// never trusted), `X-Forwarded-Proto`, `X-Request-Id`, and the Gateway's own
/// service credential; drops hop-by-hop headers both ways.
struct ServiceProxy: Sendable {
    let routes: UpstreamRoutes
    let context: ServiceContext

    /// Hop-by-hop headers (RFC 9110 §7.6.1) and those the proxy sets itself.
    static let droppedRequestHeaders: Set<String> = [
        "connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade",
        "proxy-authorization", "host", "content-length", "expect",
        "x-forwarded-for", "x-forwarded-proto", "x-forwarded-host", "forwarded", "x-request-id",
        InternalHeaders.serviceCredential.lowercased(),
    ]
    static let droppedResponseHeaders: Set<String> = [
        "connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade",
        "content-length", "date", "x-request-id",
    ]

    func forward(_ request: HTTPRequest) async throws -> HTTPResponse {
        let path = request.path
        guard !path.hasPrefix("/internal"), let service = routes.service(for: path) else {
            throw HTTPError(.notFound, code: "not_found", message: "No such route.")
        }
        var headers = HTTPHeaders()
        for field in request.headers where !Self.droppedRequestHeaders.contains(field.name.lowercased()) {
            headers.add(field.name, field.value)
        }
        headers[InternalHeaders.forwardedFor] = request.context.peerAddress
        headers[InternalHeaders.forwardedProto] = "http"
        headers[InternalHeaders.requestID] = request.id
        headers[InternalHeaders.serviceCredential] = context.credentials.signer.credential(for: service)

        let upstream: HTTPClientResponse
        do {
            upstream = try await context.httpClient.send(HTTPClientRequest(
                method: request.method, url: context.configuration.peers.url(for: service) + request.target,
                headers: headers, body: request.body))
        } catch {
            request.context.logger.warning("upstream unavailable", ["service": service.rawValue, "error": "\(error)"])
            throw HTTPError.unavailable(retryAfter: 2, message: "The \(service.rawValue) service is unavailable; try again shortly.")
        }
        var response = HTTPResponse(status: upstream.status)
        for field in upstream.headers where !Self.droppedResponseHeaders.contains(field.name.lowercased()) {
            response.headers.add(field.name, field.value)
        }
        response.body = .bytes(upstream.body)
        return response
    }
}
