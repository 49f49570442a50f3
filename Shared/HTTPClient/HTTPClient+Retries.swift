import MusterHTTP

extension HTTPClient {
    /// Runs `attempt` until its outcome is final under ``Configuration/retry``;
    /// only idempotent requests get a second attempt.
    func withRetries<Response: HTTPClientResponseHead>(
        _ request: HTTPClientRequest, _ attempt: (CurlJob) async throws -> Response
    ) async throws -> Response {
        var number = 1
        while true {
            let job = CurlJob(request, configuration: configuration, credential: try await credentialProvider?())
            let outcome: Result<Response, any Error>
            do {
                outcome = .success(try await attempt(job))
            } catch {
                outcome = .failure(error)
            }
            guard request.isIdempotent, let reason = RetryPolicy.Reason(outcome),
                  let delay = configuration.retry.delay(beforeAttempt: number + 1, after: reason) else {
                return try outcome.get()
            }
            logRetry(request, attempt: number + 1, reason: reason)
            try await Task.sleep(for: delay)
            number += 1
        }
    }

    private func logRetry(_ request: HTTPClientRequest, attempt: Int, reason: RetryPolicy.Reason) {
        guard let logger else { return }
        let cause = switch reason {
        case .failure(let error): "\(error.kind)"
        case .status(let status, _): "\(status.rawValue)"
        }
        logger.warning("retrying HTTP request", ["method": request.method.rawValue, "url": Self.redacted(request.url),
                                                 "attempt": String(attempt), "cause": cause])
    }

    /// The URL without query, fragment or user info, any of which may carry a secret.
    static func redacted(_ url: String) -> String {
        var url = Substring(url)
        if let mark = url.firstIndex(where: { $0 == "?" || $0 == "#" }) { url = url[..<mark] }
        if let scheme = url.range(of: "://"),
           let at = url[scheme.upperBound...].prefix(while: { $0 != "/" }).lastIndex(of: "@") {
            url.removeSubrange(scheme.upperBound...at)
        }
        return String(url)
    }
}

extension RetryPolicy.Reason {
    /// Why `outcome` might be worth repeating; `nil` for errors that are not the client's (cancellation).
    init?(_ outcome: Result<some HTTPClientResponseHead, any Error>) {
        switch outcome {
        case .success(let response):
            self = .status(response.status, retryAfter: response.headers["Retry-After"])
        case .failure(let error as HTTPClientError):
            self = .failure(error)
        case .failure:
            return nil
        }
    }
}
