import MusterHTTP
import MusterHTTPServer

/// Turns a streamed upstream body's wire bytes into its content: counted by
/// `Content-Length`, chunked, or running until the upstream closes.
struct UpstreamBodyDecoder {
    enum Result {
        case needMore
        case done
        case malformed
    }

    private enum Mode {
        case length(remaining: Int)
        case chunked(ChunkedBodyDecoder)
        case untilClose
    }

    private var mode: Mode

    init(_ framing: UpstreamResponseHead.Framing) {
        switch framing {
        case .none: mode = .length(remaining: 0)
        case .length(let length): mode = .length(remaining: length)
        case .chunked: mode = .chunked(ChunkedBodyDecoder(maxTrailerBytes: 16 * 1024))
        case .untilClose: mode = .untilClose
        }
    }

    /// Consumes what it can of `input`, appending content to `out`.
    mutating func decode(_ input: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) -> (consumed: Int, result: Result) {
        switch mode {
        case .length(let remaining):
            let count = min(remaining, input.count)
            out.append(contentsOf: UnsafeBufferPointer(rebasing: input[0..<count]))
            mode = .length(remaining: remaining - count)
            return (count, remaining == count ? .done : .needMore)
        case .chunked(var decoder):
            mode = .untilClose
            let (consumed, outcome) = decoder.decode(input, into: &out, limit: Int.max)
            mode = .chunked(decoder)
            switch outcome {
            case .needMore: return (consumed, .needMore)
            case .done: return (consumed, .done)
            case .tooLarge, .malformed: return (consumed, .malformed)
            }
        case .untilClose:
            out.append(contentsOf: input)
            return (input.count, .needMore)
        }
    }

    /// The upstream closed: whether that is the body's proper end.
    func endOfInput() -> Bool {
        if case .untilClose = mode { return true }
        return false
    }

    /// Whether the connection can carry another request once this body is done.
    var allowsReuse: Bool {
        if case .untilClose = mode { return false }
        return true
    }
}
