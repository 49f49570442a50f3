import MusterHTTP

/// Where a transfer's response goes: to one waiting caller as a whole, or to a
/// streaming consumer piece by piece.
enum ResponseDelivery: Sendable {
    case buffered(CheckedContinuation<HTTPClientResponse, any Error>)
    case streamed(StreamedBody)

    /// Ends the delivery with `error`, whatever was delivered before.
    func fail(_ error: any Error) {
        switch self {
        case .buffered(let continuation): continuation.resume(throwing: error)
        case .streamed(let body): body.finish(.failure(error))
        }
    }
}
