import Glibc
import MusterHTTP
import Synchronization
import Testing

/// `Router.fixed`: a constant answer given on the loop, without a handler task:
/// written straight into the output when nothing is ahead of it, queued otherwise.
/// (Keep-alive, HTTP/1.0, HEAD and `Connection: close` are in `ConnectionBehaviorTests`,
/// and malformed requests in `RequestRejectionTests`, for a handled and a fixed route alike.)
@Suite struct FixedRouteTests {
    static let body = #"{"status":"ok"}"#

    /// The test routes and `/ping`, fixed.
    static func routes(counting: CountingMiddleware = CountingMiddleware()) -> (Router) -> Void {
        { router in
            router.use(counting)
            TestRoutes.register(router)
            router.fixed(.get, "/ping", .jsonBytes(Array(body.utf8)))
        }
    }

    @Test func aFixedRouteAnswersInOrderBehindASlowHandler() async throws {
        let counting = CountingMiddleware()
        try await TestServer.run(routes: Self.routes(counting: counting)) { server in
            let client = try RawClient(port: server.localPort)
            // Pipelined behind a slow request: the fixed answer is ready at once but leaves second.
            try client.send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\nGET /ping HTTP/1.1\r\nHost: t\r\nX-Request-Id: fixed-1\r\n\r\n")
            let slow = try await client.readResponse()
            #expect(slow.text == "slow")
            let fixed = try await client.readResponse()
            #expect(fixed.status == 200)
            #expect(fixed.text == Self.body)
            #expect(fixed.header("Content-Type") == "application/json")
            #expect(fixed.header("X-Request-Id") == "fixed-1")
            #expect(counting.seen.load(ordering: .relaxed) == 1)

            try client.send("HEAD /ping HTTP/1.1\r\nHost: t\r\n\r\nPOST /ping HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n")
            let head = try await client.readResponse(bodyless: true)
            #expect(head.status == 200)
            #expect(head.header("Content-Length") == String(Self.body.utf8.count))
            // Other methods go the unmatched way, through the middleware.
            let post = try await client.readResponse()
            #expect(post.status == 405)
            #expect(counting.seen.load(ordering: .relaxed) == 2)
        }
    }

    @Test func aDirectAnswerIsTheQueuedOneButForItsDate() async throws {
        try await TestServer.run(routes: Self.routes()) { server in
            let client = try RawClient(port: server.localPort)
            try client.send("GET /ping HTTP/1.1\r\nHost: t\r\nX-Request-Id: same\r\n\r\n")
            let direct = try await client.readResponse()
            try client.send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\nGET /ping HTTP/1.1\r\nHost: t\r\nX-Request-Id: same\r\n\r\n")
            _ = try await client.readResponse()
            let queued = try await client.readResponse()
            let withoutDate = { (response: TestResponse) in response.headers.filter { $0.0 != "Date" }.map { "\($0.0): \($0.1)" } }
            #expect(withoutDate(direct) == ["Content-Type: application/json", "Content-Length: 15", "X-Request-Id: same"])
            #expect(withoutDate(queued) == withoutDate(direct))
            #expect(queued.body == direct.body)
        }
    }

    @Test func pipelinedFixedAndHandledRequestsKeepTheirOrder() async throws {
        try await TestServer.run(routes: Self.routes()) { server in
            let client = try RawClient(port: server.localPort)
            try client.send(["a", "-", "b", "c"].map { id in
                id == "-" ? "GET /slow HTTP/1.1\r\nHost: t\r\n\r\n" : "GET /ping HTTP/1.1\r\nHost: t\r\nX-Request-Id: \(id)\r\n\r\n"
            }.joined())
            var answers: [String] = []
            for _ in 0..<4 {
                let response = try await client.readResponse()
                answers.append(response.text == "slow" ? "-" : response.header("X-Request-Id") ?? "")
            }
            #expect(answers == ["a", "-", "b", "c"])
        }
    }

    @Test func theClientsRequestIDIsEchoedAndAMalformedOneReplaced() async throws {
        try await TestServer.run(routes: Self.routes()) { server in
            let client = try RawClient(port: server.localPort)
            try client.send("GET /ping HTTP/1.1\r\nHost: t\r\nX-Request-Id: gw.1_2:3-abc\r\n\r\n")
            #expect(try await client.readResponse().header("X-Request-Id") == "gw.1_2:3-abc")
            try client.send("GET /ping HTTP/1.1\r\nHost: t\r\nX-Request-Id: has space\r\n\r\n")
            let generated = try #require(try await client.readResponse().header("X-Request-Id"))
            #expect(generated.count == 15)
            #expect(RequestID.isWellFormed(generated))
        }
    }

    @Test func aClientThatReadsLateStillGetsEveryAnswerInOrder() async throws {
        try await TestServer.run(routes: Self.routes()) { server in
            let client = try RawClient(port: server.localPort)
            // Answers the client leaves unread for a while, more than its small
            // receive buffer holds: the server stops reading requests until they
            // have gone out, then goes on.
            var receiveBuffer: Int32 = 16 * 1024
            setsockopt(client.fd, SOL_SOCKET, SO_RCVBUF, &receiveBuffer, socklen_t(MemoryLayout<Int32>.size))
            let count = 4_000
            let requests = (0..<count).map { "GET /ping HTTP/1.1\r\nHost: t\r\nX-Request-Id: r\($0)\r\n\r\n" }.joined()
            async let sent: Void = RawClient.offPool { try client.send(requests) }
            try await Task.sleep(for: .milliseconds(300))
            let ids = try await client.readResponses(count).map { $0.header("X-Request-Id") ?? "" }
            try await sent
            #expect(ids == (0..<count).map { "r\($0)" })
        }
    }

    @Test func aBodyIsRefusedButAnEmptyOneIsNot() async throws {
        try await TestServer.run(routes: Self.routes()) { server in
            let client = try RawClient(port: server.localPort)
            try client.send("GET /ping HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n"
                + "GET /ping HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
            #expect(try await client.readResponse().text == Self.body)
            #expect(try await client.readResponse().text == Self.body)
            try client.send("GET /ping HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\n\r\nab")
            #expect(try await client.readResponse().status == 413)
        }
    }
}
