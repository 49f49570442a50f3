import MusterAuth
import MusterCore
import MusterHTTP
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

    nonisolated(nonsending) func forward(_ request: HTTPRequest, route: RouteTable.Route) async throws -> HTTPResponse {
        let upstreams = directory[route.service]
        let client = ClientAddress.resolve(peer: request.context.peerAddress, forwardedFor: request.headers[InternalHeaders.forwardedFor],
                                           trusted: trustedProxies)
        let headers = ForwardedHeaders.toUpstream(request.headers, clientAddress: client, proto: proto(of: request),
                                                  requestID: request.id, credential: signer.credentialField(for: route.service))
        let upstreamRequest = UpstreamRequest(method: request.method, target: request.target, headers: headers,
                                              body: request.body, timeout: route.timeout)
        var failed: UpstreamInstance?
        for attempt in 0..<2 {
            guard let instance = upstreams.pick(excluding: failed, now: Clock.seconds) else { break }
            instance.begin()
            do {
                let response = try await self.client.send(upstreamRequest, to: instance.endpoint, for: request)
                instance.end(failed: false, now: Clock.seconds)
                request.context.notes.note { $0.upstream = instance.endpoint.url }
                return HTTPResponse(status: response.status, headers: ForwardedHeaders.toClient(response.headers), body: response.body)
            } catch {
                instance.end(failed: error.isInstanceFailure, now: Clock.seconds)
                request.context.notes.note { $0.upstream = instance.endpoint.url }
                request.context.logger.warning("upstream request failed", [
                    "service": route.service.rawValue, "instance": instance.endpoint.url, "error": error.description,
                    "attempt": String(attempt + 1),
                ])
                let retryable = request.method.isIdempotent && (error.kind == .connectFailed || error.kind == .connectionLost)
                if attempt == 0, retryable {
                    failed = instance
                    continue
                }
                throw Self.answer(for: error, service: route.service)
            }
        }
        throw HTTPError.unavailable(retryAfter: 5, message: "The \(route.service.rawValue) service is unavailable; try again shortly.")
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
            HTTPError.unavailable(retryAfter: 5, message: "The \(service.rawValue) service is unavailable; try again shortly.")
        }
    }
}
