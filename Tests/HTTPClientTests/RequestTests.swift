import MusterCore
import MusterHTTP
import MusterHTTPClient
import Testing

@Suite struct RequestTests {
    @Test func credentialIsSentAsBearerUnlessTheRequestSetsItsOwn() async throws {
        try await PeerServer.with { peer in
            try await withClient(credentialProvider: { "service-token" }) { client in
                let plain = try await echo(client, HTTPClientRequest(url: peer.url("/echo")))
                #expect(plain.headers["authorization"] == "Bearer service-token")
                let own = try await echo(client, HTTPClientRequest(url: peer.url("/echo"), headers: ["Authorization": "Bearer user"]))
                #expect(own.headers["authorization"] == "Bearer user")
            }
        }
    }

    @Test func credentialHeaderNameIsConfigurable() async throws {
        try await PeerServer.with { peer in
            let configuration = HTTPClient.Configuration(credentialHeader: "X-Service-Credential")
            try await withClient(configuration, credentialProvider: { "service-token" }) { client in
                let seen = try await echo(client, HTTPClientRequest(url: peer.url("/echo"), headers: ["Authorization": "Bearer user"]))
                #expect(seen.headers["authorization"] == "Bearer user")
                #expect(seen.headers["x-service-credential"] == "Bearer service-token")
            }
        }
    }

    @Test func credentialProviderFailureStopsTheRequest() async throws {
        struct Unavailable: Error {}
        try await PeerServer.with { peer in
            _ = try await withClient(credentialProvider: { throw Unavailable() }) { client in
                await #expect(throws: Unavailable.self) { try await client.send(HTTPClientRequest(url: peer.url("/echo?key=c"))) }
            }
            let stats = try await withClient { try await peer.stats(using: $0) }
            #expect(stats.hits["c"] == nil)
        }
    }

    @Test func methodHeadersAndBinaryBodyArriveIntact() async throws {
        try await PeerServer.with { peer in
            try await withClient { client in
                let body = Array("héllo\u{0}wörld".utf8)
                let request = HTTPClientRequest(method: .patch, url: peer.url("/echo?a=1&b=%20"),
                                                headers: ["X-Request-Id": "req-42", "X-Empty": ""], body: body)
                let seen = try await echo(client, request)
                #expect(seen.method == "PATCH")
                #expect(seen.path == "/echo?a=1&b=%20")
                #expect(seen.headers["x-request-id"] == "req-42")
                #expect(seen.headers["x-empty"] == "")
                #expect(seen.headers["content-length"] == String(body.count))
                #expect(Array(seen.body.utf8) == body)
                #expect(seen.headers["expect"] == nil)
                #expect(seen.headers["content-type"] == nil)
            }
        }
    }

    @Test func framingHeadersFromTheCallerAreDropped() async throws {
        try await PeerServer.with { peer in
            try await withClient { client in
                let request = HTTPClientRequest(method: .post, url: peer.url("/echo"),
                                                headers: ["Content-Length": "999", "Transfer-Encoding": "chunked", "Connection": "close"],
                                                body: Array("abc".utf8))
                let seen = try await echo(client, request)
                #expect(seen.headers["content-length"] == "3")
                #expect(seen.headers["transfer-encoding"] == nil)
                #expect(seen.body == "abc")
                _ = try await client.send(HTTPClientRequest(url: peer.url("/echo")))
                let stats = try await peer.stats(using: client)
                #expect(stats.connections == 1)
            }
        }
    }

    @Test func bodylessMethodsAndEmptyPostsAreFramedCorrectly() async throws {
        try await PeerServer.with { peer in
            try await withClient { client in
                let head = try await client.send(HTTPClientRequest(method: .head, url: peer.url("/echo")))
                #expect(head.status == .ok)
                #expect(head.body.isEmpty)
                let delete = try await echo(client, HTTPClientRequest(method: .delete, url: peer.url("/echo")))
                #expect(delete.method == "DELETE")
                #expect(delete.headers["content-length"] == nil)
                let post = try await echo(client, HTTPClientRequest(method: .post, url: peer.url("/echo")))
                #expect(post.headers["content-length"] == "0")
            }
        }
    }

    @Test func redirectsAreReturnedNotFollowed() async throws {
        try await PeerServer.with { peer in
            try await withClient { client in
                let response = try await client.send(HTTPClientRequest(url: peer.url("/redirect")))
                #expect(response.status.rawValue == 302)
                #expect(response.headers["location"] == "/echo")
            }
        }
    }

    @Test func responseHeadersAreReadCaseInsensitively() async throws {
        try await PeerServer.with { peer in
            try await withClient { client in
                let response = try await client.send(HTTPClientRequest(url: peer.url("/echo")))
                #expect(response.headers["CONTENT-TYPE"] == "application/json")
                #expect(response.headers["Content-Length"] == String(response.body.count))
            }
        }
    }

    private func echo(_ client: HTTPClient, _ request: HTTPClientRequest) async throws -> Echo {
        try await client.send(request).decode(as: Echo.self)
    }
}
