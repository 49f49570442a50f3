import MusterHTTP
import MusterHTTPClient
import Testing

@Suite struct StreamingTests {
    @Test func slowConsumerReceivesEveryByteInOrder() async throws {
        try await PeerServer.with { peer in
            try await withClient { client in
                let count = 4 << 20
                let response = try await client.stream(HTTPClientRequest(url: peer.url("/bytes?count=\(count)&chunked=1")))
                #expect(response.status == .ok)
                var received = 0
                var intact = true
                for try await chunk in response.body {
                    for (offset, byte) in chunk.enumerated() where byte != UInt8((received + offset) % 251) { intact = false }
                    received += chunk.count
                    // Falls behind at first, so that the transfer must pause and resume.
                    if received < 1 << 20 { try await Task.sleep(for: .milliseconds(1)) }
                }
                #expect(received == count)
                #expect(intact)
            }
        }
    }

    @Test func droppingTheBodyAbortsTheTransfer() async throws {
        try await PeerServer.with { peer in
            try await withClient { client in
                var request = HTTPClientRequest(url: peer.url("/bytes?count=\(256 << 20)"))
                request.maxResponseBytes = 1 << 30
                var response: HTTPClientStreamingResponse? = try await client.stream(request)
                var iterator = response?.body.makeAsyncIterator()
                let first = try await iterator?.next()
                #expect(first?.isEmpty == false)
                iterator = nil
                response = nil
                var aborted = 0
                for _ in 0..<100 where aborted == 0 {
                    try await Task.sleep(for: .milliseconds(20))
                    aborted = try await peer.stats(using: client).aborted
                }
                #expect(aborted == 1)
            }
        }
    }

    @Test func failureBeforeTheHeadIsThrownByStream() async throws {
        try await PeerServer.with { peer in
            try await withClient(.init(retry: .never)) { client in
                let error = try await #require(throws: HTTPClientError.self) {
                    try await client.stream(HTTPClientRequest(method: .post, url: peer.url("/drop")))
                }
                #expect(error.kind == .connectionLost)
            }
        }
    }

    @Test func streamedBodyObeysTheSizeLimit() async throws {
        try await PeerServer.with { peer in
            try await withClient(.init(maxResponseBytes: 1 << 20)) { client in
                let response = try await client.stream(HTTPClientRequest(url: peer.url("/bytes?count=\(2 << 20)&chunked=1")))
                let error = try await #require(throws: HTTPClientError.self) {
                    for try await _ in response.body {}
                }
                #expect(error.kind == .tooLarge)
            }
        }
    }
}
