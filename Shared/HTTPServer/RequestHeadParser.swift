import Glibc
import MusterHTTP

/// Parses a complete request head (request line and header block, final CRLF
/// included) strictly: whatever could let two parsers disagree on where a request
/// ends (request smuggling) is refused with `400`.
///
/// Refused: a request line that is not `method SP /absolute-path SP HTTP/1.x`,
/// obsolete line folding, a bare CR or any control character in a field, both
/// `Content-Length` and `Transfer-Encoding`, differing or malformed
/// `Content-Length`s, any transfer coding but a single `chunked` (or any at all in
/// HTTP/1.0), and a missing or repeated `Host` in HTTP/1.1.
struct RequestHeadParser {
    let maxFields: Int

    /// `fixedResponse` looks up the route's constant answer from the request
    /// line; for such a route the fields are checked just as strictly, but not kept.
    func parse(_ bytes: UnsafeBufferPointer<UInt8>,
               fixedResponse: (HTTPMethod, Substring) -> FixedResponse?) throws(RequestRejection) -> RequestHead {
        let lineEnd = try Self.endOfLine(bytes, from: 0, requestID: nil)
        let (method, target, version) = try Self.parseRequestLine(UnsafeBufferPointer(rebasing: bytes[0..<lineEnd]))
        let fixed = fixedResponse(method, RequestHead.path(of: target))
        var fields = FieldSummary()
        var headers = HTTPHeaders()
        // One allocation for a browser's dozen fields instead of one per doubling.
        if fixed == nil { headers.reserveCapacity(16) }
        var position = lineEnd + 2
        while true {
            let end = try Self.endOfLine(bytes, from: position, requestID: fields.requestID)
            if end == position { break }
            guard fields.count < maxFields else { throw .headersTooLarge(requestID: fields.requestID) }
            let line = UnsafeBufferPointer(rebasing: bytes[position..<end])
            guard let parts = FieldLine.parse(line) else {
                throw .badRequest("Malformed header field.", requestID: fields.requestID)
            }
            try fields.note(line, parts)
            if fixed == nil {
                headers.appendParsed(String(decoding: UnsafeBufferPointer(rebasing: line[parts.name]), as: UTF8.self),
                                     String(decoding: UnsafeBufferPointer(rebasing: line[parts.value]), as: UTF8.self))
            }
            position = end + 2
        }
        let framing = try fields.framing(version: version)
        if version == .http11, fields.hostCount != 1 {
            throw .badRequest("An HTTP/1.1 request needs exactly one Host header.", requestID: fields.requestID)
        }
        let keepAlive = version == .http11 ? !fields.connectionClose : fields.connectionKeepAlive && !fields.connectionClose
        return RequestHead(method: method, target: target, version: version, fixed: fixed, headers: headers, framing: framing,
                           keepAlive: keepAlive, expectsContinue: fields.expectsContinue && version == .http11,
                           requestID: fields.requestID)
    }

    /// The index of the CR ending the line that starts at `start`; every line ends in CRLF
    /// (the scanner already refused a bare LF), so a CR elsewhere is a bare CR.
    /// `memchr`: a token's field is hundreds of bytes long.
    private static func endOfLine(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int,
                                  requestID: String?) throws(RequestRejection) -> Int {
        var index = bytes.count
        if let base = bytes.baseAddress, start < bytes.count, let found = memchr(base + start, 0x0D, bytes.count - start) {
            index = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
        }
        guard index + 1 < bytes.count, bytes[index + 1] == 0x0A else {
            throw .badRequest("Bare CR in the request head.", requestID: requestID)
        }
        return index
    }

    private static func parseRequestLine(_ line: UnsafeBufferPointer<UInt8>) throws(RequestRejection)
        -> (HTTPMethod, String, HTTPVersion) {
        var index = 0
        while index < line.count, HTTPHeaders.isTokenByte(line[index]) { index += 1 }
        let methodEnd = index
        guard methodEnd > 0, index < line.count, line[index] == 0x20 else { throw .badRequest("Malformed request line.") }
        index += 1
        let targetStart = index
        while index < line.count, line[index] > 0x20, line[index] < 0x7F, line[index] != UInt8(ascii: "#") { index += 1 }
        let targetEnd = index
        guard index < line.count, line[index] == 0x20 else { throw .badRequest("Malformed request line.") }
        guard targetEnd > targetStart, line[targetStart] == UInt8(ascii: "/") else {
            throw .badRequest("The request target must be an absolute path.")
        }
        let version = try parseVersion(UnsafeBufferPointer(rebasing: line[(index + 1)...]))
        let method = canonical(HTTPMethod(rawValue: String(decoding: UnsafeBufferPointer(rebasing: line[0..<methodEnd]), as: UTF8.self)))
        let target = String(decoding: UnsafeBufferPointer(rebasing: line[targetStart..<targetEnd]), as: UTF8.self)
        return (method, target, version)
    }

    private static func parseVersion(_ text: UnsafeBufferPointer<UInt8>) throws(RequestRejection) -> HTTPVersion {
        guard text.count == 8, text[0] == UInt8(ascii: "H"), text[1] == UInt8(ascii: "T"), text[2] == UInt8(ascii: "T"),
              text[3] == UInt8(ascii: "P"), text[4] == UInt8(ascii: "/"), FieldLine.isDigit(text[5]), text[6] == UInt8(ascii: "."),
              FieldLine.isDigit(text[7]) else {
            throw .badRequest("Malformed HTTP version.")
        }
        guard text[5] == UInt8(ascii: "1") else {
            throw RequestRejection(status: .httpVersionNotSupported, code: "http_version_not_supported",
                                   message: "Only HTTP/1.0 and HTTP/1.1 are supported.")
        }
        return text[7] == UInt8(ascii: "0") ? .http10 : .http11
    }

    /// The shared constant for common methods, so their names are not stored twice.
    private static func canonical(_ method: HTTPMethod) -> HTTPMethod {
        switch method.rawValue {
        case "GET": .get
        case "POST": .post
        case "PUT": .put
        case "PATCH": .patch
        case "DELETE": .delete
        case "HEAD": .head
        case "OPTIONS": .options
        default: method
        }
    }
}

/// What the framing-relevant header fields said, gathered while parsing.
private struct FieldSummary {
    var count = 0
    var contentLength: Int?
    var transferCodings: [Substring] = []
    var hasTransferEncoding = false
    var hostCount = 0
    var connectionClose = false
    var connectionKeepAlive = false
    var expectsContinue = false
    var requestID: String?

    /// Values above this are kept as this: far beyond any body limit, and no overflow.
    static let lengthCeiling = Int(Int32.max) * 1024

    mutating func note(_ line: UnsafeBufferPointer<UInt8>, _ parts: FieldLine.Parts) throws(RequestRejection) {
        count += 1
        let value = UnsafeBufferPointer(rebasing: line[parts.value])
        if FieldLine.matches(line, parts.name, lowercase: "content-length") {
            try noteContentLength(value)
        } else if FieldLine.matches(line, parts.name, lowercase: "transfer-encoding") {
            hasTransferEncoding = true
            transferCodings += FieldLine.listMembers(String(decoding: value, as: UTF8.self), keepingEmpty: false)
        } else if FieldLine.matches(line, parts.name, lowercase: "host") {
            hostCount += 1
        } else if FieldLine.matches(line, parts.name, lowercase: "connection") {
            for token in FieldLine.listMembers(String(decoding: value, as: UTF8.self), keepingEmpty: false) {
                if HTTPHeaders.equalsIgnoringCase(String(token), "close") { connectionClose = true }
                if HTTPHeaders.equalsIgnoringCase(String(token), "keep-alive") { connectionKeepAlive = true }
            }
        } else if FieldLine.matches(line, parts.name, lowercase: "expect") {
            expectsContinue = HTTPHeaders.equalsIgnoringCase(String(decoding: value, as: UTF8.self), "100-continue")
        } else if FieldLine.matches(line, parts.name, lowercase: "x-request-id"), requestID == nil {
            let text = String(decoding: value, as: UTF8.self)
            if RequestID.isWellFormed(text) { requestID = text }
        }
    }

    /// `Content-Length` is `1*DIGIT`; a repeated field, or a list, must repeat the same value.
    private mutating func noteContentLength(_ value: UnsafeBufferPointer<UInt8>) throws(RequestRejection) {
        for item in FieldLine.listMembers(String(decoding: value, as: UTF8.self), keepingEmpty: true) {
            guard !item.isEmpty, item.utf8.allSatisfy(FieldLine.isDigit) else {
                throw .badRequest("Malformed Content-Length.", requestID: requestID)
            }
            let length = item.utf8.reduce(0) { min($0 * 10 + Int($1 - 0x30), Self.lengthCeiling) }
            guard contentLength == nil || contentLength == length else {
                throw .badRequest("Conflicting Content-Length values.", requestID: requestID)
            }
            contentLength = length
        }
    }

    func framing(version: HTTPVersion) throws(RequestRejection) -> BodyFraming {
        guard hasTransferEncoding else { return contentLength.map(BodyFraming.length) ?? .none }
        guard contentLength == nil else {
            throw .badRequest("Both Content-Length and Transfer-Encoding are present.", requestID: requestID)
        }
        guard version == .http11 else {
            throw .badRequest("Transfer-Encoding is not allowed in HTTP/1.0.", requestID: requestID)
        }
        guard transferCodings.count == 1, HTTPHeaders.equalsIgnoringCase(String(transferCodings[0]), "chunked") else {
            throw .badRequest("Unsupported transfer coding; only chunked is accepted.", requestID: requestID)
        }
        return .chunked
    }
}
