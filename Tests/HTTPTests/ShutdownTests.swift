import Glibc
import MusterCore
import MusterHTTP
import Testing

/// Graceful shutdown: stop accepting, finish what is in flight, then stop.
@Suite struct ShutdownTests {
    @Test func aRequestInFlightCompletesAndNewConnectionsAreRefused() async throws {
        let gate = Gate()
        try await TestServer.run(routes: { router in
            router.get("/gated") { _ in
                await gate.pass()
                return .text("finished")
            }
        }) { server in
            let port = server.localPort
            let client = try RawClient(port: port)
            try client.send("GET /gated HTTP/1.1\r\nHost: t\r\n\r\n")
            try await waitUntil { gate.waiting == 1 }
            let stopping = Task { await server.shutdown() }
            try await waitUntil { (try? RawClient.connect(port: port)).map { close($0) } == nil }
            #expect(throws: RawClient.ConnectError.self) { try RawClient.connect(port: port) }
            gate.open()
            let response = try await client.readResponse()
            #expect(response.status == 200)
            #expect(response.text == "finished")
            #expect(response.header("Connection") == "close")
            #expect(try await client.isClosedByServer())
            client.hangUp()
            await stopping.value
            #expect(server.statistics.openConnections == 0)
        }
    }

    @Test func idleConnectionsAreClosedAtOnce() async throws {
        try await TestServer.run(configure: { $0.shutdownGrace = .seconds(30) }) { server in
            let client = try RawClient(port: server.localPort)
            try client.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
            _ = try await client.readResponse()
            let start = ContinuousClock.now
            await server.shutdown()
            #expect(ContinuousClock.now - start < .seconds(15), "well before the 30 s grace (room for a loaded machine)")
            #expect(try await client.isClosedByServer())
        }
    }

    @Test func aHandlerOutlastingTheGraceIsCutOff() async throws {
        let gate = Gate()
        try await TestServer.run(configure: { $0.shutdownGrace = .milliseconds(100) }, routes: { router in
            router.get("/forever") { _ in
                await gate.pass()
                return .text("late")
            }
        }) { server in
            let client = try RawClient(port: server.localPort)
            try client.send("GET /forever HTTP/1.1\r\nHost: t\r\n\r\n")
            // The handler is running (held at the gate) before the shutdown starts.
            try await waitUntil { gate.waiting == 1 }
            defer { gate.open() }
            let start = ContinuousClock.now
            await server.shutdown()
            #expect(ContinuousClock.now - start < .seconds(15), "cut off, not waiting for the handler (which never ends)")
            #expect(try await client.isClosedByServer())
        }
    }
}
