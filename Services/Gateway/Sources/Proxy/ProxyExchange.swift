import MusterCore
import MusterHTTP

/// One proxied request in flight on its event loop: an instance is picked and the
/// request sent to it; a connection failure of an idempotent request is tried
/// once more, on another instance. Lives only on that loop's thread.
final class ProxyExchange: UpstreamResponseReceiver {
    private let proxy: ServiceProxy
    private let request: HTTPRequest
    private let upstreamRequest: UpstreamRequest
    private let service: ServiceName
    /// Set on the response, over what the service sent (the rate-limit fields).
    private let fields: HTTPHeaders
    private let done: (Result<HTTPResponse, HTTPError>) -> Void
    private var instance: UpstreamInstance?
    private var attempts = 0

    init(proxy: ServiceProxy, request: HTTPRequest, upstreamRequest: UpstreamRequest, service: ServiceName,
         fields: HTTPHeaders, done: @escaping (Result<HTTPResponse, HTTPError>) -> Void) {
        self.proxy = proxy
        self.request = request
        self.upstreamRequest = upstreamRequest
        self.service = service
        self.fields = fields
        self.done = done
    }

    func send(excluding failed: UpstreamInstance?) {
        guard let instance = proxy.directory[service].pick(excluding: failed, now: Clock.seconds) else {
            done(.failure(ServiceProxy.unavailable(service)))
            return
        }
        self.instance = instance
        attempts += 1
        instance.begin()
        proxy.client.start(upstreamRequest, to: instance.endpoint, for: request, receiver: self)
    }

    func upstreamAnswered(_ result: Result<UpstreamResponse, UpstreamError>) {
        guard let instance else { return }
        request.context.notes.note { $0.upstream = instance.endpoint.url }
        switch result {
        case .success(let response):
            instance.end(failed: false, now: Clock.seconds)
            var headers = ForwardedHeaders.toClient(response.headers)
            for field in fields { headers[field.name] = field.value }
            done(.success(HTTPResponse(status: response.status, headers: headers, body: response.body)))
        case .failure(let error):
            instance.end(failed: error.isInstanceFailure, now: Clock.seconds)
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
            done(.failure(ServiceProxy.answer(for: error, service: service)))
        }
    }
}
