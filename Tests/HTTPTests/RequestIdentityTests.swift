import MusterHTTP
import Testing

/// `X-Request-Id` on every response, and what the server puts in `request.context`.
@Suite struct RequestIdentityTests {
    @Test func aWellFormedRequestIDIsEchoedAndReachesTheHandler() async throws {
        try await TestServer.run { server in
            let client = try RawClient(port: server.localPort)
            try client.send("GET /context HTTP/1.1\r\nHost: t\r\nX-Request-Id: gw.1_2:3-abc\r\n\r\n")
            let response = try await client.readResponse()
            #expect(response.header("X-Request-Id") == "gw.1_2:3-abc")
            // requestID, peerAddress, clientAddress, the logger's request_id
            #expect(response.text == "gw.1_2:3-abc 127.0.0.1 127.0.0.1 gw.1_2:3-abc")
        }
    }

    @Test func anIPv4ClientOfADualStackListenerHasAnIPv4Address() async throws {
        try await TestServer.run(configure: { $0.host = "::" }) { server in
            let client = try RawClient(port: server.localPort)
            try client.send("GET /context HTTP/1.1\r\nHost: t\r\nX-Request-Id: dual\r\n\r\n")
            #expect(try await client.readResponse().text == "dual 127.0.0.1 127.0.0.1 dual")
        }
    }

    @Test(arguments: ["has space", "semi;colon", String(repeating: "a", count: 129), ""])
    func aMalformedRequestIDIsReplaced(_ supplied: String) async throws {
        try await TestServer.run { server in
            let client = try RawClient(port: server.localPort)
            try client.send("GET /context HTTP/1.1\r\nHost: t\r\nX-Request-Id: \(supplied)\r\n\r\n")
            let response = try await client.readResponse()
            let generated = try #require(response.header("X-Request-Id"))
            #expect(generated != supplied)
            #expect(generated.count == 15)
            #expect(RequestID.isWellFormed(generated))
            #expect(response.text.hasPrefix(generated + " "))
        }
    }

    @Test func generatedRequestIDsDiffer() async throws {
        try await TestServer.run { server in
            let client = try RawClient(port: server.localPort)
            var seen = Set<String>()
            for _ in 0..<20 {
                try client.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
                seen.insert(try #require(try await client.readResponse().header("X-Request-Id")))
            }
            #expect(seen.count == 20)
        }
    }

    @Test func errorResponsesCarryTheRequestIDInHeaderAndBody() async throws {
        try await TestServer.run { server in
            let client = try RawClient(port: server.localPort)
            try client.send("GET /missing HTTP/1.1\r\nHost: t\r\nX-Request-Id: req-404\r\n\r\n")
            let response = try await client.readResponse()
            #expect(response.status == 404)
            #expect(response.header("X-Request-Id") == "req-404")
            #expect(response.error?.code == "not_found")
            #expect(response.error?.requestID == "req-404")
        }
    }
}
