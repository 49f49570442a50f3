import MusterHTTP
import Synchronization
import Testing

/// `Router.fixed`: a constant answer given on the loop, without a handler task.
@Suite struct FixedRouteTests {
    /// Counts the requests the middleware saw, to show a fixed route skips it.
    final class Counting: Middleware {
        let seen = Atomic<Int>(0)
        func handle(_ request: HTTPRequest, next: Handler) async throws -> HTTPResponse {
            seen.add(1, ordering: .relaxed)
            return try await next(request)
        }
    }

    static let body = #"{"status":"ok"}"#

    @Test func aFixedRouteAnswersInOrderBehindASlowHandler() async throws {
        let counting = Counting()
        try await TestServer.run(routes: { router in
            router.use(counting)
            TestRoutes.register(router)
            router.fixed(.get, "/ping", .jsonBytes(Array(Self.body.utf8)))
        }) { server in
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
}
