import MusterHTTP

/// A response whose body arrives as it is received, for large bodies the caller
/// forwards rather than holds (the Gateway relaying a service's export).
///
/// ```swift
/// let response = try await client.stream(HTTPClientRequest(url: exportURL))
/// for try await chunk in response.body { try await writer.write(chunk) }
/// ```
///
/// Reading is paced by the consumer: when it falls behind, the transfer pauses
/// instead of buffering without bound. Dropping the body (or cancelling the task
/// that reads it) aborts the transfer and closes its connection.
/// ``HTTPClient/Configuration/maxResponseBytes`` and the total timeout still apply.
public struct HTTPClientStreamingResponse: Sendable {
    public var status: HTTPStatus
    public var headers: HTTPHeaders
    public var body: AsyncThrowingStream<[UInt8], any Error>

    public init(status: HTTPStatus, headers: HTTPHeaders, body: AsyncThrowingStream<[UInt8], any Error>) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

extension HTTPClientStreamingResponse: HTTPClientResponseHead {}
