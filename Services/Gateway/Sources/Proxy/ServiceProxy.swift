import MusterAuth
import MusterCore
import MusterHTTP
import MusterHTTPUpstream
import MusterService

/// Forwards a request to an instance of the service that owns its route.
///
/// The least-loaded available instance gets it; a connection failure of an
/// idempotent request is retried once on another instance; a timeout is `504`,
/// a broken answer `502`, and no instance at all `503` with `Retry-After`.
struct ServiceProxy: Sendable {
    let directory: UpstreamDirectory
    let client: UpstreamClient
    let signer: ServiceCredentialSigner
    let trustedProxies: AddressRanges

    /// Forwards on the request's event loop (the caller's thread); `completion` is
    /// given the response to send (carrying `fields` too) or the error to answer,
    /// once, there — before this returns when no instance can be tried.
    func start(_ request: HTTPRequest, route: RouteTable.Route, adding fields: HTTPHeaders, then completion: ProxyExchange.Completion) {
        let clientAddress = ClientAddress.resolve(peer: request.context.peerAddress, forwardedFor: request.headers[InternalHeaders.forwardedFor],
                                           trusted: trustedProxies)
        let headers = ForwardedHeaders.toUpstream(request.headers, clientAddress: clientAddress, proto: proto(of: request),
                                                  requestID: request.id, credential: signer.credentialField(for: route.service))
        let upstreamRequest = UpstreamRequest(method: request.method, target: request.target, headers: headers,
                                              body: request.body, timeout: route.timeout)
        ProxyExchange(upstreams: directory[route.service], client: client, request: request, upstreamRequest: upstreamRequest,
                      service: route.service, fields: fields, completion: completion).send(excluding: nil)
    }

    /// The same from a handler task (which runs on its request's loop).
    nonisolated(nonsending) func forward(_ request: HTTPRequest, route: RouteTable.Route,
                                         adding fields: HTTPHeaders) async throws(HTTPError) -> HTTPResponse {
        try await withUnsafeContinuation { continuation in
            start(request, route: route, adding: fields, then: .task(continuation))
        }.get()
    }

    /// `X-Forwarded-Proto`: believed from a trusted proxy, else how this request came.
    private func proto(of request: HTTPRequest) -> String {
        if !trustedProxies.isEmpty, trustedProxies.contains(request.context.peerAddress),
           let given = request.headers[InternalHeaders.forwardedProto], given == "https" || given == "http" {
            return given
        }
        return request.context.isSecure ? "https" : "http"
    }

    static func answer(for error: UpstreamError, service: ServiceName) -> HTTPError {
        switch error.kind {
        case .timedOut:
            HTTPError(.gatewayTimeout, code: "upstream_timeout", message: "The \(service.rawValue) service did not answer in time.")
        case .invalidResponse, .connectionLost:
            HTTPError(.badGateway, code: "bad_gateway", message: "The \(service.rawValue) service failed to answer.")
        case .connectFailed, .invalidEndpoint, .noEventLoop:
            unavailable(service)
        }
    }

    static func unavailable(_ service: ServiceName) -> HTTPError {
        HTTPError.unavailable(retryAfter: 5, message: "The \(service.rawValue) service is unavailable; try again shortly.")
    }
}
