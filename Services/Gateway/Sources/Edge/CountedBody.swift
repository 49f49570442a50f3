/// Wraps a streamed response body to learn its size once sent, for the access log.
///
/// It pulls from the wrapped stream in the caller's task (the server's sending
/// task, on the request's event loop), so it adds no task and no hop.
/// `@unchecked Sendable`: the one task sending the body is its only user.
final class CountedBody: @unchecked Sendable {
    private var iterator: AsyncThrowingStream<[UInt8], any Error>.AsyncIterator
    private var bytes = 0
    private var finished: ((Int) -> Void)?

    init(_ stream: AsyncThrowingStream<[UInt8], any Error>, finished: @escaping (Int) -> Void) {
        iterator = stream.makeAsyncIterator()
        self.finished = finished
    }

    var stream: AsyncThrowingStream<[UInt8], any Error> {
        AsyncThrowingStream(unfolding: { [self] in try await next() })
    }

    private func next() async throws -> [UInt8]? {
        do {
            guard let chunk = try await iterator.next() else {
                report()
                return nil
            }
            bytes += chunk.count
            return chunk
        } catch {
            report()
            throw error
        }
    }

    private func report() {
        finished?(bytes)
        finished = nil
    }

    /// A body abandoned part-way (the client left) is logged with what was sent.
    deinit { report() }
}
