import Testing

/// Chunked request bodies: extensions and trailers are accepted and dropped,
/// anything malformed is refused and the connection closed.
@Suite struct ChunkedRequestTests {
    private static func post(_ chunkedBody: String) -> String {
        "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n" + chunkedBody
    }

    @Test(arguments: [
        ("plain", "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"),
        ("upper-case hex and leading zeros", "0000B\r\nhello world\r\n0\r\n\r\n"),
        ("extensions", "5;name=value\r\nhello\r\n6 ; flag ; q=\"a \\\"quoted\\\" one\"\r\n world\r\n0;last\r\n\r\n"),
        ("trailers", "5\r\nhello\r\n6\r\n world\r\n0\r\nX-Checksum: abc\r\nX-Other:  v \r\n\r\n"),
    ])
    func decodesTheBody(_ name: String, _ body: String) async throws {
        try await TestServer.run { server in
            let client = try RawClient(port: server.localPort)
            try client.send(Self.post(body))
            let response = try await client.readResponse()
            #expect(response.status == 200)
            #expect(response.text == "hello world")
            // The connection is still good for the next request.
            try client.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try await client.readResponse().text == "hello")
        }
    }

    @Test(arguments: [
        ("a size that is not hex", "zz\r\nhello\r\n0\r\n\r\n"),
        ("an empty size", "\r\nhello\r\n0\r\n\r\n"),
        ("a size with a space inside", "5 5\r\nhello\r\n0\r\n\r\n"),
        ("a negative size", "-5\r\nhello\r\n0\r\n\r\n"),
        ("a size that overflows", "1000000000000000000\r\nhello\r\n0\r\n\r\n"),
        ("data longer than its size", "3\r\nhello\r\n0\r\n\r\n"),
        ("a bare LF after the size", "5\nhello\r\n0\r\n\r\n"),
        ("a malformed extension", "5;=x\r\nhello\r\n0\r\n\r\n"),
        ("an unterminated quoted extension", "5;a=\"x\r\nhello\r\n0\r\n\r\n"),
        ("a malformed trailer", "5\r\nhello\r\n0\r\nNot a field\r\n\r\n"),
        ("a folded trailer", "5\r\nhello\r\n0\r\nX-A: 1\r\n folded\r\n\r\n"),
    ])
    func refusesMalformedChunking(_ name: String, _ body: String) async throws {
        try await TestServer.run { server in
            let client = try RawClient(port: server.localPort)
            try client.send(Self.post(body))
            let response = try await client.readResponse()
            #expect(response.status == 400)
            #expect(response.error?.code == "bad_request")
            #expect(try await client.isClosedByServer())
        }
    }

    @Test func chunksArrivingSeparatelyAreJoined() async throws {
        try await TestServer.run { server in
            let client = try RawClient(port: server.localPort)
            try client.send(Self.post("5\r\nhel"))
            try await Task.sleep(for: .milliseconds(20))
            try client.send("lo\r\n")
            try await Task.sleep(for: .milliseconds(20))
            try client.send("0\r\n\r\n")
            #expect(try await client.readResponse().text == "hello")
        }
    }
}
