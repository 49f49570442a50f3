import CCurl
import Synchronization

/// Runs transfers for the client: hands them to the ``CurlTransferThread`` and
/// connects them to the waiting tasks, including their cancellation.
final class CurlEventLoop: Sendable {
    private let inbox: CurlInbox
    private let nextID = Atomic<UInt64>(1)

    init(maxConnectionsPerHost: Int, maxIdleConnections: Int) {
        CurlGlobal.initialize()
        guard let multi = curl_multi_init() else { fatalError("curl_multi_init failed (out of memory)") }
        _ = muster_curl_multi_setopt_long(multi, CURLMOPT_MAX_HOST_CONNECTIONS, max(1, maxConnectionsPerHost))
        _ = muster_curl_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, max(1, maxIdleConnections))
        inbox = CurlInbox(multi: CurlMultiPointer(raw: multi))
        CurlTransferThread.start(inbox: inbox)
    }

    /// Streamed bodies hold the loop too, so the thread stops once the client
    /// and every body it handed out are gone.
    deinit {
        inbox.requestStop()
    }

    /// Runs `job` and returns its whole response; cancelling the task aborts the transfer.
    func perform(_ job: CurlJob) async throws -> HTTPClientResponse {
        let ticket = makeTicket()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                start(job, .buffered(continuation), ticket)
            }
        } onCancel: {
            cancel(ticket)
        }
    }

    /// Runs `job` and returns once its head has arrived, with the body to follow.
    func stream(_ job: CurlJob) async throws -> HTTPClientStreamingResponse {
        let ticket = makeTicket()
        let body = StreamedBody()
        let head = try await withTaskCancellationHandler {
            try await body.head { start(job, .streamed(body), ticket) }
        } onCancel: {
            cancel(ticket)
        }
        let reader = StreamedBodyReader(loop: self, ticket: ticket, body: body)
        return HTTPClientStreamingResponse(status: head.status, headers: head.headers,
                                           body: AsyncThrowingStream { try await reader.next() })
    }

    func stopAndWait() async {
        inbox.requestStop()
        await inbox.waitForExit()
    }

    func cancel(_ ticket: TransferTicket) {
        ticket.cancel { _ = inbox.post(.cancel(ticket.id)) }
    }

    func resume(_ ticket: TransferTicket) {
        _ = inbox.post(.resume(ticket.id))
    }

    private func makeTicket() -> TransferTicket {
        TransferTicket(id: nextID.wrappingAdd(1, ordering: .relaxed).oldValue)
    }

    private func start(_ job: CurlJob, _ delivery: ResponseDelivery, _ ticket: TransferTicket) {
        var posted = false
        let submitted = ticket.submit { posted = inbox.post(.start(ticket.id, job, delivery)) }
        if !submitted {
            delivery.fail(CancellationError())
        } else if !posted {
            delivery.fail(HTTPClientError.shutdown(mayHaveReachedServer: false))
        }
    }
}

/// Pulls a streamed body for its `AsyncThrowingStream`, and aborts the transfer
/// when the stream is dropped before the end.
private final class StreamedBodyReader: Sendable {
    private let loop: CurlEventLoop
    private let ticket: TransferTicket
    private let body: StreamedBody

    init(loop: CurlEventLoop, ticket: TransferTicket, body: StreamedBody) {
        self.loop = loop
        self.ticket = ticket
        self.body = body
    }

    deinit {
        if !body.isFinished { loop.cancel(ticket) }
    }

    func next() async throws -> [UInt8]? {
        try await withTaskCancellationHandler {
            try await body.next { loop.resume(ticket) }
        } onCancel: {
            loop.cancel(ticket)
        }
    }
}
