import Testing

/// Idle keep-alive connections and clients that trickle their requests are closed.
///
/// Each test asserts that the close happens, not before the configured timeout, and
/// well before the default it would otherwise wait for; the upper bounds leave a loaded
/// machine (a 2-core CI host stalled 5 s here once) room, so they are far from the
/// configured timeout and the clients wait longer still before giving up.
@Suite struct TimeoutTests {
    @Test func anIdleKeepAliveConnectionIsClosed() async throws {
        try await TestServer.run(configure: { $0.idleTimeout = .milliseconds(200) }) { server in
            let client = try RawClient(port: server.localPort, timeout: .seconds(40))
            // The server cannot close before it has answered, and answers after this.
            let start = ContinuousClock.now
            try client.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try await client.readResponse().status == 200)
            #expect(try await client.isClosedByServer())
            let waited = ContinuousClock.now - start
            #expect(waited >= .milliseconds(200))
            #expect(waited < .seconds(30), "well before the 60 s default")
        }
    }

    @Test func aConnectionThatNeverSendsIsClosed() async throws {
        try await TestServer.run(configure: { $0.headerTimeout = .milliseconds(200) }) { server in
            // The client's own read timeout is the upper bound: before the 10 s default.
            let client = try RawClient(port: server.localPort, timeout: .seconds(9))
            #expect(try await client.isClosedByServer())
        }
    }

    @Test func aTricklingHeaderBlockIsClosedAtTheHeaderDeadline() async throws {
        try await TestServer.run(configure: { $0.headerTimeout = .milliseconds(300) }) { server in
            // The header deadline runs from the connection's acceptance, after this.
            let start = ContinuousClock.now
            let client = try RawClient(port: server.localPort, timeout: .seconds(20))
            // One byte every 40 ms: each byte is progress, but the whole block is late.
            let trickle = Task {
                for byte in "GET /hello HTTP/1.1\r\nHost: t\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n".utf8 {
                    try client.send([byte])
                    try await Task.sleep(for: .milliseconds(40))
                }
            }
            // Closed with no answer: the deadline came before the trickle (~3 s) finished.
            #expect(try await client.isClosedByServer())
            let waited = ContinuousClock.now - start
            #expect(waited >= .milliseconds(300))
            #expect(waited < .seconds(10), "before the 10 s default")
            trickle.cancel()
        }
    }

    @Test func aTricklingBodyIsClosedAtTheBodyDeadline() async throws {
        try await TestServer.run(configure: { $0.bodyTimeout = .milliseconds(300) }) { server in
            let client = try RawClient(port: server.localPort, timeout: .seconds(40))
            try client.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\nonly part")
            let start = ContinuousClock.now
            #expect(try await client.isClosedByServer())
            #expect(ContinuousClock.now - start < .seconds(30), "well before the 60 s default")
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
