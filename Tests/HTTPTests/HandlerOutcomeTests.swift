import MusterHTTP
import Testing

/// What a handler's errors and streamed bodies become on the wire.
@Suite struct HandlerOutcomeTests {
    @Test func aPlainErrorBecomes500InternalError() async throws {
        try await TestServer.run { server in
            let client = try RawClient(port: server.localPort)
            try client.send("GET /fail HTTP/1.1\r\nHost: t\r\nX-Request-Id: failing-1\r\n\r\n")
            let response = try await client.readResponse()
            #expect(response.status == 500)
            #expect(response.error?.code == "internal_error")
            #expect(response.error?.requestID == "failing-1")
            #expect(!response.text.contains("PlainFailure"))
            // A handler failure does not cost the connection.
            try client.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try await client.readResponse().status == 200)
        }
    }

    @Test func anHTTPErrorBecomesItsOwnResponse() async throws {
        try await TestServer.run { server in
            let client = try RawClient(port: server.localPort)
            try client.send("GET /conflict HTTP/1.1\r\nHost: t\r\n\r\n")
            let response = try await client.readResponse()
            #expect(response.status == 409)
            #expect(response.error?.code == "slug_taken")
            #expect(response.header("Content-Type") == "application/json")
        }
    }

    @Test func aStreamedBodyIsSentChunked() async throws {
        try await TestServer.run { server in
            let client = try RawClient(port: server.localPort)
            try client.send("GET /stream HTTP/1.1\r\nHost: t\r\n\r\n")
            let response = try await client.readResponse()
            #expect(response.header("Transfer-Encoding") == "chunked")
            #expect(response.header("Content-Length") == nil)
            #expect(response.text == "one two three")
            try client.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try await client.readResponse().text == "hello")
        }
    }

    @Test func headOfAStreamedBodySendsNoChunks() async throws {
        try await TestServer.run { server in
            let client = try RawClient(port: server.localPort)
            try client.send("HEAD /stream HTTP/1.1\r\nHost: t\r\n\r\nGET /fast HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try await client.readResponse(bodyless: true).status == 200)
            #expect(try await client.readResponse().text == "fast")
        }
    }

    @Test func aStreamThatFailsIsCutOff() async throws {
        try await TestServer.run { server in
            let client = try RawClient(port: server.localPort)
            try client.send("GET /broken-stream HTTP/1.1\r\nHost: t\r\n\r\n")
            let received = String(decoding: try await client.readToEnd(), as: UTF8.self)
            #expect(received.contains("partial"))
            // No terminating zero-size chunk: the client can tell the body is incomplete.
            #expect(!received.hasSuffix("0\r\n\r\n"))
        }
    }

    @Test func aLargeStreamReachesASlowReaderWhole() async throws {
        let chunk = [UInt8](repeating: UInt8(ascii: "z"), count: 64 * 1024)
        try await TestServer.run(routes: { router in
            router.get("/big") { _ in
                HTTPResponse(status: .ok, body: .stream(AsyncThrowingStream { continuation in
                    for _ in 0..<64 { continuation.yield(chunk) }
                    continuation.finish()
                }))
            }
        }) { server in
            let client = try RawClient(port: server.localPort)
            try client.send("GET /big HTTP/1.1\r\nHost: t\r\n\r\n")
            try await Task.sleep(for: .milliseconds(100))
            let response = try await client.readResponse()
            #expect(response.body.count == 64 * chunk.count)
        }
    }
}
