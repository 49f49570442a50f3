import MusterCore
import MusterHTTP

/// Runs one request's handler on its connection's loop and hands the response
/// (and a streamed body's chunks) back to the loop.
enum HandlerTask {
    /// Resolves the route while the request has one owner, offers it to a loop
    /// responder, then hands it to a waiting worker of this loop, or to a new one
    /// when all are busy; returns the response instead when the route has a fixed one.
    static func start(_ request: consuming HTTPRequest, slot: ResponseSlot, of connection: Connection,
                      context: LoopContext) -> HTTPResponse? {
        if let response = context.responder.resolve(&request) { return response }
        if context.responder.respondOnLoop(request, reply: LoopReply(target: context, connection: connection, slot: slot)) {
            return nil
        }
        let ticket = ResponseTicket(connection: connection.id, sequence: slot.sequence)
        if let worker = context.idleWorkers.popLast() {
            worker.resume(returning: Assignment(request: request, ticket: ticket))
        } else {
            spawnWorker(Assignment(request: request, ticket: ticket), loop: context.loop, responder: context.responder)
        }
        return nil
    }

    struct Assignment: Sendable {
        let request: HTTPRequest
        let ticket: ResponseTicket
    }

    /// Waiting workers a loop keeps after a burst; any beyond this end.
    static let maxIdleWorkers = 64

    /// A worker task serves requests one after another: creating a task (and its
    /// first allocator slabs) for every request costs more than the rest of
    /// serving a small one. `immediate` runs the first request right here on the
    /// loop's thread until it first suspends.
    private static func spawnWorker(_ first: Assignment, loop: EventLoop, responder: any HTTPResponder) {
        Task.immediate(executorPreference: loop) {
            var next: Assignment? = first
            while let assignment = next {
                await handle(assignment.request, ticket: assignment.ticket, loop: loop, responder: responder)
                // Back on the loop's thread (its executor is the task's preference);
                // no context once the loop has stopped.
                guard let context = loop.confined, context.idleWorkers.count < maxIdleWorkers else { return }
                next = await withUnsafeContinuation { context.idleWorkers.append($0) }
            }
        }
    }

    private nonisolated(nonsending) static func handle(_ request: HTTPRequest, ticket: ResponseTicket, loop: EventLoop, responder: any HTTPResponder) async {
        let response: HTTPResponse
        do {
            response = try await responder.respond(to: request)
        } catch {
            response = errorResponse(error, for: request)
        }
        loop.post(.response(ticket, response))
        if case .stream(let body) = response.body,
           ResponseFraming.sendsBody(method: request.method, status: response.status) {
            await pump(body.chunks, ticket: ticket, loop: loop, logger: request.context.logger)
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
    static func pump(_ stream: AsyncThrowingStream<[UInt8], any Error>, ticket: ResponseTicket,
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
