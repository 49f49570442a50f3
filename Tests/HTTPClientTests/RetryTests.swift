import MusterHTTP
import MusterHTTPClient
import Testing

@Suite struct RetryTests {
    private let fastRetries = HTTPClient.Configuration(retry: RetryPolicy(maxAttempts: 3, initialBackoff: .milliseconds(10)))

    @Test func idempotentRequestIsRetriedAfter503() async throws {
        try await PeerServer.with { peer in
            try await withClient(fastRetries) { client in
                let response = try await client.send(HTTPClientRequest(url: peer.url("/flaky?key=get")))
                #expect(response.status == .ok)
                let stats = try await peer.stats(using: client)
                #expect(stats.hits["get"] == 2)
            }
        }
    }

    @Test func postIsNotRetriedAfter503() async throws {
        try await PeerServer.with { peer in
            try await withClient(fastRetries) { client in
                let response = try await client.send(HTTPClientRequest(method: .post, url: peer.url("/flaky?key=post")))
                #expect(response.status == .serviceUnavailable)
                let stats = try await peer.stats(using: client)
                #expect(stats.hits["post"] == 1)
            }
        }
    }

    @Test func postWithIdempotencyKeyIsRetried() async throws {
        try await PeerServer.with { peer in
            try await withClient(fastRetries) { client in
                let request = HTTPClientRequest(method: .post, url: peer.url("/flaky?key=keyed"), headers: ["Idempotency-Key": "k-1"])
                let response = try await client.send(request)
                #expect(response.status == .ok)
                let stats = try await peer.stats(using: client)
                #expect(stats.hits["keyed"] == 2)
            }
        }
    }

    @Test func postIsNotRepeatedOnceTheServerMayHaveReceivedIt() async throws {
        try await PeerServer.with { peer in
            try await withClient(fastRetries) { client in
                let error = try await #require(throws: HTTPClientError.self) {
                    try await client.send(HTTPClientRequest(method: .post, url: peer.url("/drop?key=post")))
                }
                #expect(error.kind == .connectionLost)
                let stats = try await peer.stats(using: client)
                #expect(stats.hits["post"] == 1)
            }
        }
    }

    @Test func attemptsAreBounded() async throws {
        try await PeerServer.with { peer in
            try await withClient(fastRetries) { client in
                let dropped = try await #require(throws: HTTPClientError.self) {
                    try await client.send(HTTPClientRequest(url: peer.url("/drop?key=drop")))
                }
                #expect(dropped.kind == .connectionLost)
                let busy = try await client.send(HTTPClientRequest(url: peer.url("/flaky?key=busy&failures=10")))
                #expect(busy.status == .serviceUnavailable)
                let hits = try await peer.stats(using: client).hits
                #expect(hits["drop"] == 3)
                #expect(hits["busy"] == 3)
            }
        }
    }

    @Test func requestMarkedNotIdempotentIsNotRetried() async throws {
        try await PeerServer.with { peer in
            try await withClient(fastRetries) { client in
                let request = HTTPClientRequest(url: peer.url("/flaky?key=once"), idempotent: false)
                let response = try await client.send(request)
                #expect(response.status == .serviceUnavailable)
                let stats = try await peer.stats(using: client)
                #expect(stats.hits["once"] == 1)
            }
        }
    }
}
