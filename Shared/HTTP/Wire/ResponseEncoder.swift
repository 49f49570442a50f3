/// How a response body is delimited on the wire.
package enum ResponseFraming: Equatable {
    /// No body and no length: `1xx`, `204`, `304`.
    case none
    case length(Int)
    case chunked
    /// HTTP/1.0 has no chunked coding: a streamed body ends when the connection closes.
    case untilClose

    package init(status: HTTPStatus, body: HTTPBody, version: HTTPVersion) {
        guard status.allowsBody else {
            self = .none
            return
        }
        switch body {
        case .bytes(let bytes): self = .length(bytes.count)
        case .stream: self = version == .http11 ? .chunked : .untilClose
        }
    }

    /// Whether body bytes follow the head: never for `HEAD`, nor for statuses without a body.
    package static func sendsBody(method: HTTPMethod, status: HTTPStatus) -> Bool {
        method != .head && status.allowsBody
    }

    /// The `Content-Length` an answer to `HEAD` states for the body a `GET` would
    /// have had (a proxy passing on its upstream's); no body follows a `HEAD` answer,
    /// so the stated length cannot frame anything.
    package static func declaredLength(_ response: HTTPResponse) -> Int? {
        response.headers["Content-Length"].flatMap(FieldLine.length)
    }
}

/// Writes response heads and chunk framing into a connection's output buffer.
package enum ResponseEncoder {
    package static let continueResponse: [UInt8] = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)
    package static let lastChunk: [UInt8] = Array("0\r\n\r\n".utf8)
    private static let crlf: [UInt8] = [0x0D, 0x0A]

    /// The status line and headers. The server owns framing and identity headers
    /// (`Content-Length`, `Transfer-Encoding`, `Connection`, `Keep-Alive`, `Date`,
    /// `X-Request-Id`): a handler's copies are dropped so they can never disagree.
    package static func appendHead(_ response: HTTPResponse, framing: ResponseFraming, keepAlive: Bool, version: HTTPVersion,
                           requestID: String, date: [UInt8], to out: inout [UInt8]) {
        appendResponseFields(response, framing: framing, to: &out)
        appendExchangeFields(keepAlive: keepAlive, version: version, requestID: requestID, date: date, to: &out)
    }

    /// The part of a head that depends on the response alone: status line, the
    /// response's own fields and its framing field (what a fixed route encodes once).
    package static func appendResponseFields(_ response: HTTPResponse, framing: ResponseFraming, to out: inout [UInt8]) {
        out.appendUTF8("HTTP/1.1 ")
        out.appendUTF8(String(response.status.rawValue))
        out.append(0x20)
        out.appendUTF8(response.status.reasonPhrase)
        out.append(contentsOf: crlf)
        for field in response.headers where !isServerOwned(field.name) {
            appendField(field.name, field.value, to: &out)
        }
        if let constant = response.constantFields { out.append(contentsOf: constant.encoded) }
        switch framing {
        case .length(let count): appendField("Content-Length", String(count), to: &out)
        case .chunked: appendField("Transfer-Encoding", "chunked", to: &out)
        case .none, .untilClose: break
        }
    }

    /// The rest of a head, which varies with each exchange: `Connection`, `Date`,
    /// `X-Request-Id` and the empty line that ends the head.
    package static func appendExchangeFields(keepAlive: Bool, version: HTTPVersion, requestID: String, date: [UInt8],
                                     to out: inout [UInt8]) {
        if !keepAlive {
            appendField("Connection", "close", to: &out)
        } else if version == .http10 {
            appendField("Connection", "keep-alive", to: &out)
        }
        out.appendUTF8("Date: ")
        out.append(contentsOf: date)
        out.append(contentsOf: crlf)
        appendField("X-Request-Id", requestID, to: &out)
        out.append(contentsOf: crlf)
    }

    /// One chunk of a chunked body: hex size, CRLF, data, CRLF.
    package static func appendChunk(_ bytes: [UInt8], to out: inout [UInt8]) {
        out.appendUTF8(String(bytes.count, radix: 16))
        out.append(contentsOf: crlf)
        out.append(contentsOf: bytes)
        out.append(contentsOf: crlf)
    }

    package static func appendField(_ name: String, _ value: String, to out: inout [UInt8]) {
        out.appendUTF8(name)
        out.append(0x3A)
        out.append(0x20)
        out.appendUTF8(value)
        out.append(contentsOf: crlf)
    }

    package static func isServerOwned(_ name: String) -> Bool {
        switch name.utf8.count {
        case 4: HTTPHeaders.equalsIgnoringCase(name, "date")
        case 10: HTTPHeaders.equalsIgnoringCase(name, "connection") || HTTPHeaders.equalsIgnoringCase(name, "keep-alive")
        case 12: HTTPHeaders.equalsIgnoringCase(name, "x-request-id")
        case 14: HTTPHeaders.equalsIgnoringCase(name, "content-length")
        case 17: HTTPHeaders.equalsIgnoringCase(name, "transfer-encoding")
        default: false
        }
    }

    /// Whether a handler asked to close the connection after its response.
    package static func asksToClose(_ response: HTTPResponse) -> Bool {
        guard let value = response.headers["Connection"] else { return false }
        return FieldLine.listMembers(value, keepingEmpty: false).contains { HTTPHeaders.equalsIgnoringCase(String($0), "close") }
    }
}
