import MusterHTTP
import MusterHTTPServer
import MusterHTTPUpstream
import Synchronization
import Testing

/// A router's loop fallback (`LoopResponder`): offered the unmatched requests on
/// the server's loop, it answers at once or later (here: after an exchange with a
/// real upstream server over `UpstreamClient`), in order with task-served
/// requests; what it declines goes to the fallback handler, through the middleware.
@Suite struct LoopResponderTests {
    /// `/now` answers at once, `/decline` is declined, any `/up/…` path goes to the upstream as `/…`.
    final class Proxy: LoopResponder {
        let client = UpstreamClient()
        let upstream: UpstreamEndpoint
        let offered = Atomic<Int>(0)

        init(upstream: UpstreamEndpoint) { self.upstream = upstream }

        func respond(to request: HTTPRequest, reply: LoopReply) -> Bool {
            offered.add(1, ordering: .relaxed)
            switch request.path {
            case "/now":
                reply.send(.text("now"))
                return true
            case "/decline":
                return false
            default:
                guard request.path.hasPrefix("/up/") else { return false }
                let target = String(request.target.dropFirst(3))
                client.start(UpstreamRequest(method: request.method, target: target, body: request.body), to: upstream,
                             for: request, receiver: Forward(reply: reply))
                return true
            }
        }
    }

    final class Forward: UpstreamResponseReceiver {
        let reply: LoopReply
        init(reply: LoopReply) { self.reply = reply }

        func upstreamAnswered(_ result: Result<UpstreamResponse, UpstreamError>) {
            switch result {
            case .success(let answer): reply.send(HTTPResponse(status: answer.status, headers: answer.headers, body: answer.body))
            case .failure(let error): reply.send(.text(error.description, status: .badGateway))
            }
        }
    }

    /// A large body (above the client's buffered limit, so it streams) and an echo, on the upstream.
    static let large = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }

    static func upstreamRoutes(_ router: Router) {
        TestRoutes.register(router)
        router.get("/large") { _ in HTTPResponse(status: .ok, body: .bytes(large)) }
    }

    func withProxy(_ body: (HTTPServer, Proxy, CountingMiddleware) async throws -> Void) async throws {
        try await TestServer.run(routes: Self.upstreamRoutes) { upstream in
            let proxy = Proxy(upstream: try UpstreamEndpoint(url: "http://127.0.0.1:\(upstream.localPort)"))
            let counting = CountingMiddleware()
            try await TestServer.run(routes: { router in
                router.use(counting)
                router.get("/slow") { _ in
                    try await Task.sleep(for: .milliseconds(300))
                    return .text("slow")
                }
                router.get("/hello") { _ in .text("hello") }
                router.fallback(onLoop: proxy) { _ in .text("declined") }
            }) { server in
                try await body(server, proxy, counting)
            }
        }
    }

    @Test func aLoopResponderAnswersAtOnceOrAfterAnUpstreamExchangeWithoutTheMiddleware() async throws {
        try await withProxy { server, proxy, counting in
            let client = try RawClient(port: server.localPort)
            try client.send("GET /now HTTP/1.1\r\nHost: t\r\nX-Request-Id: loop-1\r\n\r\n")
            let now = try await client.readResponse()
            #expect(now.status == 200)
            #expect(now.text == "now")
            #expect(now.header("X-Request-Id") == "loop-1")

            try client.send("POST /up/echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello")
            let echoed = try await client.readResponse()
            #expect(echoed.status == 200)
            #expect(echoed.text == "hello")

            // A matched route is never offered; a declined request reaches the fallback through the middleware.
            try client.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\nGET /decline HTTP/1.1\r\nHost: t\r\n\r\n")
            let responses = try await client.readResponses(2)
            #expect(responses.map(\.text) == ["hello", "declined"])
            #expect(proxy.offered.load(ordering: .relaxed) == 3)
            #expect(counting.seen.load(ordering: .relaxed) == 2)
        }
    }

    @Test func loopAnswersKeepTheirPlaceBehindASlowHandler() async throws {
        try await withProxy { server, _, _ in
            let client = try RawClient(port: server.localPort)
            try client.send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\nGET /now HTTP/1.1\r\nHost: t\r\n\r\nGET /up/fast HTTP/1.1\r\nHost: t\r\n\r\n"
                + "HEAD /up/fast HTTP/1.1\r\nHost: t\r\n\r\nGET /up/hello HTTP/1.1\r\nHost: t\r\n\r\n")
            let first = try await client.readResponses(3)
            #expect(first.map(\.text) == ["slow", "now", "fast"])
            let head = try await client.readResponse(bodyless: true)
            #expect(head.status == 200)
            #expect(head.header("Content-Length") == "4", "the upstream's length of the GET body, passed on")
            // Nothing of a body follows a HEAD answer: the next response is read whole.
            #expect(try await client.readResponse().text == "hello")
        }
    }

    @Test func aStreamedUpstreamBodyReachesTheClientWhole() async throws {
        try await withProxy { server, _, _ in
            let client = try RawClient(port: server.localPort)
            try client.send("GET /up/large HTTP/1.1\r\nHost: t\r\n\r\nGET /now HTTP/1.1\r\nHost: t\r\n\r\n")
            let large = try await client.readResponse()
            #expect(large.status == 200)
            #expect(large.header("Transfer-Encoding") == "chunked")
            #expect(large.body == Self.large)
            #expect(try await client.readResponse().text == "now")
        }
    }

    /// The client goes while its request is at the upstream: the late answer finds
    /// the connection closed and is dropped; the loop serves the next client as usual.
    @Test func anAnswerForAClientThatLeftIsDropped() async throws {
        try await withProxy { server, _, _ in
            let leaving = try RawClient(port: server.localPort)
            try leaving.send("GET /up/slow HTTP/1.1\r\nHost: t\r\n\r\n")
            try await Task.sleep(for: .milliseconds(50))
            leaving.hangUp()
            try await Task.sleep(for: .milliseconds(400))  // the upstream answers after 300 ms
            let staying = try RawClient(port: server.localPort)
            try staying.send("GET /up/hello HTTP/1.1\r\nHost: t\r\n\r\nGET /now HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try await staying.readResponses(2).map(\.text) == ["hello", "now"])
        }
    }

    @Test func anUnreachableUpstreamIsAnsweredOnTheLoop() async throws {
        let closed = try UpstreamEndpoint(url: "http://127.0.0.1:1")
        let proxy = Proxy(upstream: closed)
        try await TestServer.run(routes: { router in router.fallback(onLoop: proxy) { _ in .text("declined") } }) { server in
            let client = try RawClient(port: server.localPort)
            try client.send("GET /up/hello HTTP/1.1\r\nHost: t\r\n\r\nGET /now HTTP/1.1\r\nHost: t\r\n\r\n")
            let failed = try await client.readResponse()
            #expect(failed.status == 502)
            #expect(failed.text.contains("connectFailed"))
            #expect(try await client.readResponse().text == "now")
        }
    }
}
