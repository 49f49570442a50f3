import MusterHTTP
import MusterHTTPServer

/// An upstream's response head, parsed strictly: anything that could make the
/// proxy and the client disagree about where the body ends is refused.
struct UpstreamResponseHead {
    enum Framing: Equatable {
        case none
        case length(Int)
        case chunked
        /// No length and not chunked: the body ends when the upstream closes.
        case untilClose
    }

    var status: HTTPStatus
    /// The fields as sent, but for the framing ones (`Content-Length`,
    /// `Transfer-Encoding`) and `Date`: the client consumes the framing, and the
    /// server that passes the response on writes its own framing and date. (An
    /// answer to `HEAD` keeps its `Content-Length`, which frames nothing.)
    var headers: HTTPHeaders
    var framing: Framing
    /// The connection may carry another request after this response.
    var keepAlive: Bool

    /// Parses a complete head (CRLF CRLF included); `nil` when malformed.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, method: HTTPMethod) -> UpstreamResponseHead? {
        guard let lineEnd = endOfLine(bytes, from: 0), lineEnd >= 12 else { return nil }
        // "HTTP/1.x SSS" then optionally " reason".
        let prefix: StaticString = "HTTP/1."
        for index in 0..<7 where bytes[index] != prefix.utf8Start[index] { return nil }
        guard FieldLine.isDigit(bytes[7]), bytes[8] == 0x20,
              FieldLine.isDigit(bytes[9]), FieldLine.isDigit(bytes[10]), FieldLine.isDigit(bytes[11]),
              lineEnd == 12 || bytes[12] == 0x20 else { return nil }
        let http10 = bytes[7] == UInt8(ascii: "0")
        let code = Int(bytes[9] - 0x30) * 100 + Int(bytes[10] - 0x30) * 10 + Int(bytes[11] - 0x30)
        guard code >= 100 else { return nil }

        var headers = HTTPHeaders()
        headers.reserveCapacity(8)
        var contentLength: Int?
        var chunked = false, close = http10, keepAliveAsked = false
        var position = lineEnd + 2
        while let end = endOfLine(bytes, from: position), end > position {
            let line = UnsafeBufferPointer(rebasing: bytes[position..<end])
            guard let parts = FieldLine.parse(line) else { return nil }
            if FieldLine.matches(line, parts.name, lowercase: "date") {
                position = end + 2
                continue
            }
            let value = FieldValues.string(UnsafeBufferPointer(rebasing: line[parts.value]))
            if FieldLine.matches(line, parts.name, lowercase: "content-length") {
                guard let length = FieldLine.length(value), contentLength == nil || contentLength == length else { return nil }
                contentLength = length
                // Not framing for an answer to HEAD: the length of the body a GET would get, passed on.
                if method == .head { headers.appendParsed("Content-Length", value) }
                position = end + 2
                continue
            } else if FieldLine.matches(line, parts.name, lowercase: "transfer-encoding") {
                let codings = FieldLine.listMembers(value, keepingEmpty: false)
                guard codings.count == 1, HTTPHeaders.equalsIgnoringCase(String(codings[0]), "chunked"), !http10 else { return nil }
                chunked = true
                position = end + 2
                continue
            } else if FieldLine.matches(line, parts.name, lowercase: "connection") {
                for token in FieldLine.listMembers(value, keepingEmpty: false) {
                    if HTTPHeaders.equalsIgnoringCase(String(token), "close") { close = true }
                    if HTTPHeaders.equalsIgnoringCase(String(token), "keep-alive") { keepAliveAsked = true }
                }
            }
            headers.appendParsed(String(decoding: UnsafeBufferPointer(rebasing: line[parts.name]), as: UTF8.self), value)
            position = end + 2
        }
        guard chunked == false || contentLength == nil else { return nil }
        if http10, keepAliveAsked { close = false }

        let status = HTTPStatus(code)
        var framing: Framing
        if method == .head || !status.allowsBody {
            framing = .none
        } else if chunked {
            framing = .chunked
        } else if let contentLength {
            framing = .length(contentLength)
        } else {
            framing = .untilClose
        }
        if framing == .length(0) { framing = .none }
        return UpstreamResponseHead(status: status, headers: headers, framing: framing,
                                    keepAlive: !close && framing != .untilClose)
    }

    /// The index of the CR of the line starting at `start` (lines end in CRLF only).
    private static func endOfLine(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        var index = start
        while index + 1 < bytes.count {
            if bytes[index] == 0x0D { return bytes[index + 1] == 0x0A ? index : nil }
            if bytes[index] == 0x0A { return nil }
            index += 1
        }
        return nil
    }
}
