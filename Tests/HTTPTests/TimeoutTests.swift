import Testing

/// Idle keep-alive connections and clients that trickle their requests are closed.
@Suite struct TimeoutTests {
    @Test func anIdleKeepAliveConnectionIsClosed() async throws {
        try await TestServer.run(configure: { $0.idleTimeout = .milliseconds(200) }) { server in
            let client = try RawClient(port: server.localPort)
            // The server cannot close before it has answered, and answers after this.
            let start = ContinuousClock.now
            try client.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try await client.readResponse().status == 200)
            #expect(try await client.isClosedByServer())
            let waited = ContinuousClock.now - start
            #expect(waited >= .milliseconds(200))
            #expect(waited < .seconds(5), "well before the 60 s default")
        }
    }

    @Test func aConnectionThatNeverSendsIsClosed() async throws {
        try await TestServer.run(configure: { $0.headerTimeout = .milliseconds(200) }) { server in
            let client = try RawClient(port: server.localPort)
            #expect(try await client.isClosedByServer())
        }
    }

    @Test func aTricklingHeaderBlockIsClosedAtTheHeaderDeadline() async throws {
        try await TestServer.run(configure: { $0.headerTimeout = .milliseconds(300) }) { server in
            // The header deadline runs from the connection's acceptance, after this.
            let start = ContinuousClock.now
            let client = try RawClient(port: server.localPort)
            // One byte every 40 ms: each byte is progress, but the whole block is late.
            let trickle = Task {
                for byte in "GET /hello HTTP/1.1\r\nHost: t\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n".utf8 {
                    try client.send([byte])
                    try await Task.sleep(for: .milliseconds(40))
                }
            }
            #expect(try await client.isClosedByServer())
            let waited = ContinuousClock.now - start
            #expect(waited >= .milliseconds(300))
            #expect(waited < .seconds(5), "well before the 10 s default")
            trickle.cancel()
        }
    }

    @Test func aTricklingBodyIsClosedAtTheBodyDeadline() async throws {
        try await TestServer.run(configure: { $0.bodyTimeout = .milliseconds(300) }) { server in
            let client = try RawClient(port: server.localPort)
            try client.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\nonly part")
            let start = ContinuousClock.now
            #expect(try await client.isClosedByServer())
            #expect(ContinuousClock.now - start < .seconds(5), "well before the 60 s default")
        }
    }

    @Test func aSlowHandlerIsNotTimedOutByTheClientDeadlines() async throws {
        try await TestServer.run(configure: {
            $0.idleTimeout = .milliseconds(100)
            $0.headerTimeout = .milliseconds(100)
        }) { server in
            let client = try RawClient(port: server.localPort)
            try client.send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try await client.readResponse().text == "slow")
        }
    }
}
