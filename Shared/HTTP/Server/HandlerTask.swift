import MusterCore

/// Runs one request's handler in a task on its connection's loop and hands the
/// response (and a streamed body's chunks) back to the loop.
enum HandlerTask {
    static func start(_ request: HTTPRequest, ticket: ResponseTicket, loop: EventLoop, responder: any HTTPResponder) {
        // `immediate` runs the handler right here on the loop's thread until it
        // first suspends: a handler that never awaits costs no enqueue at all.
        Task.immediate(executorPreference: loop) {
            let response: HTTPResponse
            do {
                response = try await responder.respond(to: request)
            } catch {
                response = errorResponse(error, for: request)
            }
            loop.post(.response(ticket, response))
            if case .stream(let stream) = response.body,
               ResponseFraming.sendsBody(method: request.method, status: response.status) {
                await pump(stream, ticket: ticket, loop: loop, logger: request.context.logger)
            }
        }
    }

    /// A thrown `HTTPError` is its own response; anything else a logged `500`.
    private static func errorResponse(_ error: any Error, for request: HTTPRequest) -> HTTPResponse {
        if let error = error as? HTTPError { return error.response(requestID: request.id) }
        request.context.logger.error("request handler failed", [
            "method": request.method.rawValue, "path": String(request.path),
            "error_type": String(reflecting: type(of: error)), "error": String(describing: error),
        ])
        return HTTPError.internalError.response(requestID: request.id)
    }

    /// Feeds a streamed body to the loop one chunk at a time; each send waits
    /// until the loop has room, so a slow client slows the producer down.
    private static func pump(_ stream: AsyncThrowingStream<[UInt8], any Error>, ticket: ResponseTicket,
                             loop: EventLoop, logger: Logger) async {
        do {
            for try await chunk in stream where !chunk.isEmpty {
                try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                    if !loop.post(.chunk(ticket, chunk, continuation)) {
                        continuation.resume(throwing: ConnectionClosedError())
                    }
                }
            }
            loop.post(.streamEnd(ticket, succeeded: true))
        } catch is ConnectionClosedError {
            return
        } catch {
            logger.error("response stream failed", ["error_type": String(reflecting: type(of: error)),
                                                    "error": String(describing: error)])
            loop.post(.streamEnd(ticket, succeeded: false))
        }
    }
}
