import MusterHTTP
import MusterHTTPServer

/// The reading end of a streamed upstream body: pulls one piece at a time from
/// its connection on the connection's loop, so a slow client slows the upstream
/// down instead of filling memory.
///
/// `@unchecked Sendable`: it only forwards to its connection, which it touches on
/// the connection's loop thread (checked with `EventLoop.confined`).
final class UpstreamBodySource: @unchecked Sendable {
    private let connection: UpstreamConnection
    private var finished = false

    init(connection: UpstreamConnection) {
        self.connection = connection
    }

    var stream: AsyncThrowingStream<[UInt8], any Error> {
        AsyncThrowingStream(unfolding: { [self] in try await next() })
    }

    private func next() async throws -> [UInt8]? {
        guard let context = connection.loop.confined else {
            throw UpstreamError(.noEventLoop, "a streamed upstream body is read on its own event loop only")
        }
        do {
            let chunk = try await connection.nextChunk(context)
            if chunk == nil { finished = true }
            return chunk
        } catch {
            finished = true
            throw error
        }
    }

    /// Dropped before its end (the client went away): the connection cannot be reused.
    deinit {
        guard !finished else { return }
        let connection = connection
        if let context = connection.loop.confined {
            connection.abandon(context)
        } else {
            Task(executorPreference: connection.loop) {
                if let context = connection.loop.confined { connection.abandon(context) }
            }
        }
    }
}
