import MusterHTTP
import MusterHTTPClient
import Testing

@Suite struct JSONTests {
    struct Agency: Codable, Equatable {
        var displayName: String
        var userCount: Int
    }

    @Test func bodyIsEncodedAndResponseDecodedWithSnakeCase() async throws {
        try await PeerServer.with { peer in
            try await withClient { client in
                let sent = Agency(displayName: "Metro PD", userCount: 42)
                let echoed = try await client.json(.put, peer.url("/echo"), body: sent, as: Echo.self)
                #expect(echoed.body == #"{"display_name":"Metro PD","user_count":42}"#)
                #expect(echoed.headers["content-type"] == "application/json")
                #expect(echoed.headers["accept"] == "application/json")
                let created = try await client.json(.post, peer.url("/json?status=201"), body: sent, as: Agency.self)
                #expect(created == sent)
            }
        }
    }

    @Test func peerErrorBodyIsSurfacedInTheThrownError() async throws {
        try await PeerServer.with { peer in
            try await withClient { client in
                let error = try await #require(throws: HTTPClientError.self) {
                    try await client.json(.get, peer.url("/error?status=409&code=slug_taken"), as: Agency.self)
                }
                #expect(error.kind == .unsuccessfulStatus)
                #expect(error.status == .conflict)
                #expect(error.peerError == HTTPClientError.PeerError(code: "slug_taken", message: "It clashes.", requestID: "req-1"))
                #expect(error.description.contains("slug_taken"))
            }
        }
    }

    @Test func statusOnlyCallSucceedsOn2xxAndThrowsOtherwise() async throws {
        try await PeerServer.with { peer in
            try await withClient { client in
                try await client.json(.post, peer.url("/json?status=202"), body: ["event": "x"])
                let error = try await #require(throws: HTTPClientError.self) {
                    try await client.json(.post, peer.url("/error?status=422&code=validation_failed"), body: ["event": "x"])
                }
                #expect(error.peerError?.code == "validation_failed")
            }
        }
    }

    @Test func unexpectedJSONIsAnInvalidResponseNamingThePathOnly() async throws {
        try await PeerServer.with { peer in
            try await withClient { client in
                let error = try await #require(throws: HTTPClientError.self) {
                    try await client.json(.post, peer.url("/json"), body: ["display_name": "secret-value"], as: Agency.self)
                }
                #expect(error.kind == .invalidResponse)
                #expect(!error.description.contains("secret-value"))
            }
        }
    }
}
