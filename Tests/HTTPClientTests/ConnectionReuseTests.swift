import MusterHTTP
import MusterHTTPClient
import Testing

@Suite struct ConnectionReuseTests {
    @Test func sequentialRequestsShareOneKeepAliveConnection() async throws {
        try await PeerServer.with { peer in
            try await withClient { client in
                for _ in 0..<100 {
                    let response = try await client.send(HTTPClientRequest(url: peer.url("/echo")))
                    #expect(response.status == .ok)
                }
                let stats = try await peer.stats(using: client)
                #expect(stats.connections == 1)
            }
        }
    }

    @Test func parallelRequestsAllCompleteWithinTheConnectionLimit() async throws {
        try await PeerServer.with { peer in
            try await withClient(.init(maxConnectionsPerHost: 8)) { client in
                let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                    for index in 0..<200 {
                        group.addTask {
                            let request = HTTPClientRequest(method: .post, url: peer.url("/json"), body: Array("[\(index)]".utf8))
                            let response = try await client.send(request)
                            #expect(response.body == Array("[\(index)]".utf8))
                            return response.status
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                #expect(statuses.count == 200)
                #expect(statuses.allSatisfy { $0 == .ok })
                let connections = try await peer.stats(using: client).connections
                #expect(connections >= 1 && connections <= 8)
            }
        }
    }
}
