import Foundation
import MusterHTTP
import Testing

/// Requests that smuggling and abuse are made of: each is refused with the
/// uniform error body, and the connection is closed after the answer.
@Suite struct RequestRejectionTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let request: String
        var status = 400
        var testDescription: String { name }

        /// The same request to a fixed route (whose fields are checked just as
        /// strictly, but not kept), when this one asks for `/hello`.
        var onFixedRoute: Case? {
            let prefix = "GET /hello "
            guard request.hasPrefix(prefix) else { return nil }
            return Case(name: name + " (fixed route)", request: "GET /hello-fixed " + request.dropFirst(prefix.count), status: status)
        }
    }

    static let badRequests: [Case] = [
        Case(name: "Content-Length and Transfer-Encoding",
             request: "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"),
        Case(name: "two different Content-Lengths",
             request: "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!"),
        Case(name: "a Content-Length list that disagrees",
             request: "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5, 6\r\n\r\nhello!"),
        Case(name: "a malformed Content-Length", request: "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: +5\r\n\r\nhello"),
        Case(name: "an unknown transfer coding",
             request: "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n"),
        Case(name: "chunked twice", request: "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n"),
        Case(name: "Transfer-Encoding in HTTP/1.0", request: "POST /echo HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
        Case(name: "obsolete line folding", request: "GET /hello HTTP/1.1\r\nHost: t\r\nX-Note: one\r\n two\r\n\r\n"),
        Case(name: "a bare LF ending a header", request: "GET /hello HTTP/1.1\r\nHost: t\nX-Note: one\r\n\r\n"),
        Case(name: "a bare LF ending the request line", request: "GET /hello HTTP/1.1\nHost: t\r\n\r\n"),
        Case(name: "a bare CR in a header value", request: "GET /hello HTTP/1.1\r\nHost: t\r\nX-Note: a\rb\r\n\r\n"),
        Case(name: "a control character in a header value", request: "GET /hello HTTP/1.1\r\nHost: t\r\nX-Note: a\u{01}b\r\n\r\n"),
        Case(name: "DEL in a header value", request: "GET /hello HTTP/1.1\r\nHost: t\r\nX-Note: a\u{7f}b\r\n\r\n"),
        Case(name: "whitespace before the colon", request: "GET /hello HTTP/1.1\r\nHost: t\r\nX-Note : a\r\n\r\n"),
        Case(name: "a header without a colon", request: "GET /hello HTTP/1.1\r\nHost: t\r\nX-Note\r\n\r\n"),
        Case(name: "an absolute-form target", request: "GET http://t/hello HTTP/1.1\r\nHost: t\r\n\r\n"),
        Case(name: "an asterisk target", request: "OPTIONS * HTTP/1.1\r\nHost: t\r\n\r\n"),
        Case(name: "a relative target", request: "GET hello HTTP/1.1\r\nHost: t\r\n\r\n"),
        Case(name: "a control character in the target", request: "GET /hel\u{01}lo HTTP/1.1\r\nHost: t\r\n\r\n"),
        Case(name: "two spaces in the request line", request: "GET  /hello HTTP/1.1\r\nHost: t\r\n\r\n"),
        Case(name: "a malformed version", request: "GET /hello HTTX/1.1\r\nHost: t\r\n\r\n"),
        Case(name: "HTTP/2.0 on an HTTP/1 connection", request: "GET /hello HTTP/2.0\r\nHost: t\r\n\r\n", status: 505),
        Case(name: "HTTP/1.1 without Host", request: "GET /hello HTTP/1.1\r\nAccept: */*\r\n\r\n"),
        Case(name: "HTTP/1.1 with two Hosts", request: "GET /hello HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"),
    ]

    @Test(arguments: badRequests + badRequests.compactMap(\.onFixedRoute))
    func refusesAndCloses(_ badRequest: Case) async throws {
        try await TestServer.run { server in
            let client = try RawClient(port: server.localPort)
            try client.send(badRequest.request)
            let response = try await client.readResponse()
            #expect(response.status == badRequest.status)
            #expect(response.header("Connection") == "close")
            let requestID = try #require(response.header("X-Request-Id"))
            #expect(RequestID.isWellFormed(requestID))
            #expect(response.error?.requestID == requestID)
            #expect(try await client.isClosedByServer())
        }
    }

    @Test func rejectionKeepsAWellFormedRequestID() async throws {
        try await TestServer.run { server in
            let client = try RawClient(port: server.localPort)
            try client.send("POST /echo HTTP/1.1\r\nHost: t\r\nX-Request-Id: trace-42\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n")
            let response = try await client.readResponse()
            #expect(response.status == 400)
            #expect(response.header("X-Request-Id") == "trace-42")
            #expect(response.error?.requestID == "trace-42")
        }
    }

    @Test func oversizedHeadersGet431() async throws {
        try await TestServer.run { server in
            let client = try RawClient(port: server.localPort)
            let filler = String(repeating: "a", count: 17 * 1024)
            try client.send("GET /hello HTTP/1.1\r\nHost: t\r\nX-Filler: \(filler)\r\n\r\n")
            let response = try await client.readResponse()
            #expect(response.status == 431)
            #expect(response.error?.code == "headers_too_large")
            #expect(try await client.isClosedByServer())
        }
    }

    @Test func headersJustUnderTheLimitAreServed() async throws {
        try await TestServer.run { server in
            let client = try RawClient(port: server.localPort)
            let head = "GET /hello HTTP/1.1\r\nHost: t\r\nX-Filler: \r\n\r\n"
            let filler = String(repeating: "a", count: 16 * 1024 - head.utf8.count)
            try client.send("GET /hello HTTP/1.1\r\nHost: t\r\nX-Filler: \(filler)\r\n\r\n")
            #expect(try await client.readResponse().status == 200)
        }
    }

    @Test func tooManyHeaderFieldsGet431() async throws {
        try await TestServer.run { server in
            let client = try RawClient(port: server.localPort)
            let fields = (0..<150).map { "X-F\($0): v\r\n" }.joined()
            try client.send("GET /hello HTTP/1.1\r\nHost: t\r\n\(fields)\r\n")
            #expect(try await client.readResponse().status == 431)
        }
    }

    @Test func bodyOverTheRouteLimitGets413WithoutBeingSent() async throws {
        try await TestServer.run { server in
            let client = try RawClient(port: server.localPort, timeout: .seconds(2))
            // Only the head is sent: the answer must not wait for the announced body.
            try client.send("POST /small HTTP/1.1\r\nHost: t\r\nContent-Length: 5000000000\r\n\r\n")
            let response = try await client.readResponse()
            #expect(response.status == 413)
            #expect(response.error?.code == "body_too_large")
            #expect(try await client.isClosedByServer())
        }
    }

    @Test func bodyOverTheDefaultLimitGets413() async throws {
        try await TestServer.run { server in
            let client = try RawClient(port: server.localPort)
            try client.send("POST /append HTTP/1.1\r\nHost: t\r\nContent-Length: \(BodyLimit.default + 1)\r\n\r\n")
            #expect(try await client.readResponse().status == 413)
        }
    }

    @Test func bodyAtTheRouteLimitIsAccepted() async throws {
        try await TestServer.run { server in
            let client = try RawClient(port: server.localPort)
            try client.send("POST /small HTTP/1.1\r\nHost: t\r\nContent-Length: 1024\r\n\r\n" + String(repeating: "x", count: 1024))
            #expect(try await client.readResponse().text == "accepted")
        }
    }

    @Test func chunkedBodyOverTheLimitGets413() async throws {
        try await TestServer.run { server in
            let client = try RawClient(port: server.localPort)
            try client.send("POST /small HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n400\r\n" + String(repeating: "x", count: 1024)
                + "\r\n1\r\n")
            let response = try await client.readResponse()
            #expect(response.status == 413)
            #expect(try await client.isClosedByServer())
        }
    }

    @Test func malformedRequestAfterAGoodOneStillAnswersTheGoodOneFirst() async throws {
        try await TestServer.run { server in
            let client = try RawClient(port: server.localPort)
            try client.send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\nGET /hello HTTP/1.1\r\nHost: t\r\nBad Header\r\n\r\n")
            let first = try await client.readResponse()
            #expect(first.status == 200)
            #expect(first.text == "slow")
            let second = try await client.readResponse()
            #expect(second.status == 400)
            #expect(try await client.isClosedByServer())
        }
    }
}
