import Testing

/// `Expect: 100-continue`: the client is told to send its body only if it will be accepted.
@Suite struct ExpectContinueTests {
    @Test func anAcceptableBodyGets100ContinueThenTheResponse() async throws {
        try await TestServer.run { server in
            let client = try RawClient(port: server.localPort)
            try client.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
            let interim = try await client.readResponse()
            #expect(interim.status == 100)
            try client.send("hello")
            let response = try await client.readResponse()
            #expect(response.status == 200)
            #expect(response.text == "hello")
        }
    }

    @Test func anOversizedBodyGets413AndNo100() async throws {
        try await TestServer.run { server in
            let client = try RawClient(port: server.localPort)
            try client.send("POST /small HTTP/1.1\r\nHost: t\r\nContent-Length: 2048\r\nExpect: 100-continue\r\n\r\n")
            let response = try await client.readResponse()
            #expect(response.status == 413)
            #expect(try await client.isClosedByServer())
        }
    }

    @Test func aBodySentWithoutWaitingGetsNo100() async throws {
        try await TestServer.run { server in
            let client = try RawClient(port: server.localPort)
            try client.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\nhello")
            let response = try await client.readResponse()
            #expect(response.status == 200)
            #expect(response.text == "hello")
        }
    }

    @Test func the100ComesAfterEarlierPipelinedResponses() async throws {
        try await TestServer.run { server in
            let client = try RawClient(port: server.localPort)
            try client.send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\nPOST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n")
            #expect(try await client.readResponse().text == "slow")
            #expect(try await client.readResponse().status == 100)
            try client.send("ok")
            #expect(try await client.readResponse().text == "ok")
        }
    }
}
