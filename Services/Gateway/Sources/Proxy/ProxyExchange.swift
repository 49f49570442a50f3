import MusterCore
import MusterHTTP
import MusterHTTPUpstream
import MusterTime

/// One proxied request in flight on its event loop: an instance is picked and the
/// request sent to it; a connection failure of an idempotent request is tried
/// once more, on another instance. Lives only on that loop's thread.
final class ProxyExchange: UpstreamResponseReceiver {
    /// Who is given the outcome.
    enum Completion {
        /// The request is served on the loop: the edge answers it (see `ProxyRoute`).
        case reply(LoopReply, edge: Edge, allowedOrigin: String?, started: MonotonicInstant)
        /// A handler task waits for it.
        case task(UnsafeContinuation<Result<HTTPResponse, HTTPError>, Never>)
    }

    private let upstreams: ServiceUpstreams
    private let client: UpstreamClient
    private let request: HTTPRequest
    private let upstreamRequest: UpstreamRequest
    private let service: ServiceName
    /// Set on the response, over what the service sent (the rate-limit fields).
    private let fields: HTTPHeaders
    /// Taken (moved out) when the outcome is known.
    private var completion: Completion?
    private var instance: UpstreamInstance?
    private var attempts = 0

    init(upstreams: ServiceUpstreams, client: UpstreamClient, request: HTTPRequest, upstreamRequest: UpstreamRequest,
         service: ServiceName, fields: HTTPHeaders, completion: Completion) {
        self.upstreams = upstreams
        self.client = client
        self.request = request
        self.upstreamRequest = upstreamRequest
        self.service = service
        self.fields = fields
        self.completion = completion
    }

    func send(excluding failed: UpstreamInstance?) {
        guard let instance = upstreams.pick(excluding: failed, now: CoarseClock.seconds) else {
            finish(.failure(ServiceProxy.unavailable(service)))
            return
        }
        self.instance = instance
        attempts += 1
        instance.begin()
        client.start(upstreamRequest, to: instance.endpoint, for: request, receiver: self)
    }

    func upstreamAnswered(_ result: Result<UpstreamResponse, UpstreamError>) {
        guard let instance else { return }
        request.context.notes.note { $0.upstream = instance.endpoint.url }
        switch result {
        case .success(let response):
            instance.end(failed: false, now: CoarseClock.seconds)
            var headers = ForwardedHeaders.toClient(response.headers)
            for field in fields { headers[field.name] = field.value }
            finish(.success(HTTPResponse(status: response.status, headers: headers, body: response.body)))
        case .failure(let error):
            instance.end(failed: error.isInstanceFailure, now: CoarseClock.seconds)
            var logger = request.context.logger
            logger.agency = request.context.notes.snapshot.agency
            logger.warning("upstream request failed", [
                "service": service.rawValue, "instance": instance.endpoint.url, "error": error.description,
                "attempt": String(attempts),
            ])
            let retryable = request.method.isIdempotent && (error.kind == .connectFailed || error.kind == .connectionLost)
            if attempts == 1, retryable {
                send(excluding: instance)
                return
            }
            finish(.failure(ServiceProxy.answer(for: error, service: service)))
        }
    }

    private func finish(_ outcome: Result<HTTPResponse, HTTPError>) {
        switch completion.take() {
        case .reply(let reply, let edge, let allowedOrigin, let started):
            edge.answer(outcome, to: request, through: reply, allowedOrigin: allowedOrigin, started: started)
        case .task(let continuation):
            continuation.resume(returning: outcome)
        case nil:
            preconditionFailure("a proxied request is answered once")
        }
    }
}
