/// A fixed route's constant response (``Router/fixed(_:_:_:)``), encoded once
/// when the router is built: answering a request copies these bytes and adds
/// only the fields that vary with each exchange (`Connection`, `Date`, `X-Request-Id`).
///
/// A class: the server hands one reference from the route to the connection.
public final class FixedResponse: Sendable {
    /// The response itself, for a request answered through the response queue
    /// (pipelined behind an earlier one), which encodes it into the same bytes.
    package let response: HTTPResponse
    /// The status line, the response's own fields and `Content-Length`.
    private let head: [UInt8]
    private let body: [UInt8]
    /// The response itself says `Connection: close`.
    package let closesConnection: Bool

    init(_ response: HTTPResponse) {
        precondition(response.body.isBuffered, "a fixed response has its body in memory")
        self.response = response
        var head: [UInt8] = []
        // A buffered body's framing is the same in HTTP/1.0 and 1.1.
        ResponseEncoder.appendResponseFields(response, framing: ResponseFraming(status: response.status, body: response.body,
                                                                                version: .http11), to: &head)
        self.head = head
        body = response.body.bytes
        closesConnection = ResponseEncoder.asksToClose(response)
    }

    /// Encodes the answer to one request; `keepAlive` is what the request allows
    /// (the response's own `Connection: close` is applied here). Returns whether
    /// the connection stays open.
    package func write(method: HTTPMethod, version: HTTPVersion, keepAlive: Bool, requestID: String, date: [UInt8],
               into out: inout [UInt8]) -> Bool {
        let keepAlive = keepAlive && !closesConnection
        out.append(contentsOf: head)
        ResponseEncoder.appendExchangeFields(keepAlive: keepAlive, version: version, requestID: requestID, date: date, to: &out)
        if ResponseFraming.sendsBody(method: method, status: response.status) { out.append(contentsOf: body) }
        return keepAlive
    }
}
