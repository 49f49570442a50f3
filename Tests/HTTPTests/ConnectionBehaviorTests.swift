import Foundation
import MusterCore
import MusterHTTP
import Testing

/// Keep-alive, pipelining, HTTP/1.0, HEAD and `Connection: close`, over raw sockets.
@Suite struct ConnectionBehaviorTests {
    /// A route answered by its handler, and the same answer from a fixed route.
    static let helloPaths = ["/hello", "/hello-fixed"]

    @Test(arguments: helloPaths) func keepAliveServesSeveralRequestsOnOneConnection(_ path: String) async throws {
        try await TestServer.run { server in
            let client = try RawClient(port: server.localPort)
            for _ in 0..<3 {
                try client.send("GET \(path) HTTP/1.1\r\nHost: t\r\n\r\n")
                let response = try await client.readResponse()
                #expect(response.status == 200)
                #expect(response.text == "hello")
                #expect(response.header("Connection") == nil)
                #expect(response.header("Date")?.hasSuffix(" GMT") == true)
            }
            #expect(server.statistics.acceptedConnections == 1)
            #expect(server.statistics.openConnections == 1)
        }
    }

    @Test func pipelinedResponsesComeInRequestOrderEvenWhenEarlierHandlersAreSlower() async throws {
        let gate = Gate()
        try await TestServer.run(routes: { router in
            router.get("/gated/{name}") { request in
                await gate.pass()
                return .text(request.parameter("name") ?? "")
            }
            router.get("/fast") { _ in .text("fast") }
        }) { server in
            let client = try RawClient(port: server.localPort)
            try client.send("GET /gated/a HTTP/1.1\r\nHost: t\r\n\r\nGET /fast HTTP/1.1\r\nHost: t\r\n\r\n"
                + "GET /gated/b HTTP/1.1\r\nHost: t\r\n\r\n")
            // Safe requests run side by side: both gated handlers wait at once,
            // and the fast one in between has already finished.
            try await waitUntil { gate.waiting == 2 }
            gate.open()
            let bodies = [try await client.readResponse().text, try await client.readResponse().text, try await client.readResponse().text]
            #expect(bodies == ["a", "fast", "b"])
        }
    }

    @Test(arguments: helloPaths) func aLongPipelineIsAnsweredWholeEvenAfterTheClientHalfCloses(_ path: String) async throws {
        try await TestServer.run { server in
            let client = try RawClient(port: server.localPort)
            // More requests than the server keeps in flight per connection.
            try client.send(String(repeating: "GET \(path) HTTP/1.1\r\nHost: t\r\n\r\n", count: 50))
            client.finishSending()
            for _ in 0..<50 {
                #expect(try await client.readResponse().text == "hello")
            }
            #expect(try await client.isClosedByServer())
        }
    }

    @Test func pipelinedUnsafeRequestsRunOneAtATime() async throws {
        try await TestServer.run { server in
            let client = try RawClient(port: server.localPort)
            try client.send("POST /append HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\n\r\nab"
                + "POST /append HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\nabc")
            #expect(try await client.readResponse().text == "appended 2")
            #expect(try await client.readResponse().text == "appended 3")
        }
    }

    @Test(arguments: helloPaths) func connectionCloseIsHonoured(_ path: String) async throws {
        try await TestServer.run { server in
            let client = try RawClient(port: server.localPort)
            // What follows a `Connection: close` request is never answered.
            try client.send("GET \(path) HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\nGET \(path) HTTP/1.1\r\nHost: t\r\n\r\n")
            let response = try await client.readResponse()
            #expect(response.text == "hello")
            #expect(response.header("Connection") == "close")
            #expect(try await client.isClosedByServer())
        }
    }

    @Test(arguments: ["/close", "/close-fixed"]) func aResponseCanCloseTheConnection(_ path: String) async throws {
        try await TestServer.run { server in
            let client = try RawClient(port: server.localPort)
            try client.send("GET \(path) HTTP/1.1\r\nHost: t\r\n\r\nGET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
            let response = try await client.readResponse()
            #expect(response.text == "bye")
            #expect(response.header("Connection") == "close")
            #expect(try await client.isClosedByServer())
        }
    }

    @Test(arguments: helloPaths) func http10ClosesUnlessAskedToKeepAlive(_ path: String) async throws {
        try await TestServer.run { server in
            let closing = try RawClient(port: server.localPort)
            try closing.send("GET \(path) HTTP/1.0\r\n\r\n")
            let first = try await closing.readResponse()
            #expect(first.status == 200)
            #expect(first.text == "hello")
            #expect(first.header("Connection") == "close")
            #expect(try await closing.isClosedByServer())

            let keeping = try RawClient(port: server.localPort)
            for _ in 0..<2 {
                try keeping.send("GET \(path) HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
                let response = try await keeping.readResponse()
                #expect(response.text == "hello")
                #expect(response.header("Connection") == "keep-alive")
            }
        }
    }

    @Test func http10GetsAStreamedBodyDelimitedByClose() async throws {
        try await TestServer.run { server in
            let client = try RawClient(port: server.localPort)
            try client.send("GET /stream HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            let response = try await client.readResponse()
            #expect(response.header("Transfer-Encoding") == nil)
            #expect(response.header("Content-Length") == nil)
            #expect(response.text == "one two three")
        }
    }

    @Test(arguments: helloPaths) func headAnswersWithTheLengthButNoBody(_ path: String) async throws {
        try await TestServer.run { server in
            let client = try RawClient(port: server.localPort)
            try client.send("HEAD \(path) HTTP/1.1\r\nHost: t\r\n\r\n")
            let head = try await client.readResponse(bodyless: true)
            #expect(head.status == 200)
            #expect(head.header("Content-Length") == "5")
            // Had a body been sent, it would be read here as the next status line.
            try client.send("GET /fast HTTP/1.1\r\nHost: t\r\n\r\n")
            let next = try await client.readResponse()
            #expect(next.status == 200)
            #expect(next.text == "fast")
        }
    }

    /// A handler's own `Content-Length` never frames a body; only an empty answer to
    /// `HEAD` may state the length a `GET` would have had (a proxy passing it on).
    @Test func onlyAHeadAnswerMayStateItsOwnLength() async throws {
        try await TestServer.run(routes: { router in
            router.get("/declared") { _ in HTTPResponse(status: .ok, headers: ["Content-Length": "12"]) }
            router.get("/bogus") { _ in HTTPResponse(status: .ok, headers: ["Content-Length": "+12"]) }
        }) { server in
            let client = try RawClient(port: server.localPort)
            try client.send("HEAD /declared HTTP/1.1\r\nHost: t\r\n\r\nHEAD /bogus HTTP/1.1\r\nHost: t\r\n\r\n"
                + "GET /declared HTTP/1.1\r\nHost: t\r\n\r\n")
            let declared = try await client.readResponse(bodyless: true)
            #expect(declared.header("Content-Length") == "12")
            let bogus = try await client.readResponse(bodyless: true)
            #expect(bogus.header("Content-Length") == "0")
            let get = try await client.readResponse()
            #expect(get.header("Content-Length") == "0")
            #expect(get.body.isEmpty)
        }
    }

    @Test func emptyLinesBeforeARequestAreIgnored() async throws {
        try await TestServer.run { server in
            let client = try RawClient(port: server.localPort)
            try client.send("\r\n\r\nGET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try await client.readResponse().text == "hello")
        }
    }

    @Test func bytesTricklingInOneAtATimeStillMakeARequest() async throws {
        try await TestServer.run { server in
            let client = try RawClient(port: server.localPort)
            for byte in "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\n\r\nabcd".utf8 {
                try client.send([byte])
            }
            #expect(try await client.readResponse().text == "abcd")
        }
    }

    @Test func openConnectionsAreCounted() async throws {
        try await TestServer.run { server in
            let clients = try (0..<3).map { _ in try RawClient(port: server.localPort) }
            for client in clients {
                try client.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
                _ = try await client.readResponse()
            }
            #expect(server.statistics.openConnections == 3)
            try clients[0].send("GET /hello HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
            _ = try await clients[0].readToEnd()
            clients[0].hangUp()
            try await waitUntil { server.statistics.openConnections == 2 }
            #expect(server.statistics.acceptedConnections == 3)
        }
    }

    @Test func connectionsBeyondTheLimitWaitUntilOneCloses() async throws {
        try await TestServer.run(configure: { $0.maxConnections = 2 }) { server in
            let first = try RawClient(port: server.localPort)
            let second = try RawClient(port: server.localPort)
            for client in [first, second] {
                try client.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
                _ = try await client.readResponse()
            }
            // The kernel completes the handshake, but the server does not accept yet.
            let third = try RawClient(port: server.localPort, timeout: .milliseconds(300))
            try third.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
            await #expect(throws: RawClient.Failure.self) { try await third.readResponse() }
            #expect(server.statistics.openConnections == 2)
            first.hangUp()
            #expect(try await third.readResponse().text == "hello")
        }
    }

    @Test func connectionCountsAreExportedAsMetrics() async throws {
        try await TestServer.run { server in
            let registry = MetricsRegistry()
            server.registerMetrics(in: registry)
            let client = try RawClient(port: server.localPort)
            try client.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
            _ = try await client.readResponse()
            let rendered = registry.render()
            #expect(rendered.contains("\nhttp_server_open_connections 1\n"))
            #expect(rendered.contains("\nhttp_server_connections_total 1\n"))
        }
    }
}
