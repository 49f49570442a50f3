import Foundation
import MusterHTTP
import MusterHTTPClient
import Testing

@Suite struct FailureTests {
    @Test func refusedConnectionFailsFastAndNeverReachedTheServer() async throws {
        let port = try unusedPort()
        // Bounds are loose because the machine is shared; what matters is "well before the timeout".
        try await withClient(.init(connectTimeout: .seconds(20), retry: .never)) { client in
            let started = ContinuousClock.now
            let error = try await #require(throws: HTTPClientError.self) {
                try await client.send(HTTPClientRequest(method: .post, url: "http://127.0.0.1:\(port)/"))
            }
            #expect(error.kind == .connectionFailed)
            #expect(!error.mayHaveReachedServer)
            #expect(ContinuousClock.now - started < .seconds(10))
        }
    }

    @Test func connectTimeoutEndsAnUnansweredConnect() async throws {
        try await PeerServer.with { peer in
            try await withClient(.init(connectTimeout: .milliseconds(300), retry: .never)) { client in
                let started = ContinuousClock.now
                let error = try await #require(throws: HTTPClientError.self) {
                    try await client.send(HTTPClientRequest(url: "http://127.0.0.1:\(peer.blackholePort)/"))
                }
                let elapsed = ContinuousClock.now - started
                #expect(error.kind == .connectionFailed)
                #expect(!error.mayHaveReachedServer)
                #expect(elapsed >= .milliseconds(250) && elapsed < .seconds(10))
            }
        }
    }

    @Test func totalTimeoutEndsASlowResponse() async throws {
        try await PeerServer.with { peer in
            try await withClient(.init(timeout: .milliseconds(300))) { client in
                let started = ContinuousClock.now
                let error = try await #require(throws: HTTPClientError.self) {
                    try await client.send(HTTPClientRequest(url: peer.url("/delay?ms=30000")))
                }
                #expect(error.kind == .timedOut)
                #expect(error.mayHaveReachedServer)
                #expect(ContinuousClock.now - started < .seconds(10))
            }
        }
    }

    @Test func droppedConnectionIsReportedAsPossiblyReceived() async throws {
        try await PeerServer.with { peer in
            try await withClient { client in
                let error = try await #require(throws: HTTPClientError.self) {
                    try await client.send(HTTPClientRequest(method: .post, url: peer.url("/drop")))
                }
                #expect(error.kind == .connectionLost)
                #expect(error.mayHaveReachedServer)
            }
        }
    }

    @Test(arguments: [false, true])
    func oversizedBodyIsRefused(chunked: Bool) async throws {
        try await PeerServer.with { peer in
            try await withClient(.init(maxResponseBytes: 100_000)) { client in
                let url = peer.url("/bytes?count=1000000&chunked=\(chunked ? 1 : 0)")
                let error = try await #require(throws: HTTPClientError.self) {
                    try await client.send(HTTPClientRequest(url: url))
                }
                #expect(error.kind == .tooLarge)
                let fits = try await client.send(HTTPClientRequest(url: peer.url("/bytes?count=100000&chunked=\(chunked ? 1 : 0)")))
                #expect(fits.body.count == 100_000)
            }
        }
    }

    @Test func perRequestLimitOverridesTheClientLimit() async throws {
        try await PeerServer.with { peer in
            try await withClient { client in
                var request = HTTPClientRequest(url: peer.url("/bytes?count=2000"))
                request.maxResponseBytes = 1000
                let error = try await #require(throws: HTTPClientError.self) { try await client.send(request) }
                #expect(error.kind == .tooLarge)
            }
        }
    }

    @Test func cancellingTheTaskAbortsTheRequest() async throws {
        try await PeerServer.with { peer in
            try await withClient { client in
                let started = ContinuousClock.now
                let task = Task { try await client.send(HTTPClientRequest(url: peer.url("/delay?ms=30000"))) }
                try await Task.sleep(for: .milliseconds(100))
                task.cancel()
                await #expect(throws: CancellationError.self) { try await task.value }
                #expect(ContinuousClock.now - started < .seconds(10))
            }
        }
    }

    @Test func shutdownFailsRequestsInFlightAndAfter() async throws {
        try await PeerServer.with { peer in
            let client = HTTPClient()
            let inFlight = Task { try await client.send(HTTPClientRequest(url: peer.url("/delay?ms=30000&key=slow"))) }
            try await withClient { observer in
                while try await peer.stats(using: observer).hits["slow"] == nil { try await Task.sleep(for: .milliseconds(10)) }
            }
            await client.shutdown()
            let error = try await #require(throws: HTTPClientError.self) { try await inFlight.value }
            #expect(error.kind == .shutdown)
            #expect(error.mayHaveReachedServer)
            let late = try await #require(throws: HTTPClientError.self) {
                try await client.send(HTTPClientRequest(url: peer.url("/echo")))
            }
            #expect(late.kind == .shutdown)
            #expect(!late.mayHaveReachedServer)
        }
    }

    @Test(arguments: ["file:///etc/passwd", "http://127.0.0.1:1/a\r\nX-Injected: 1", "not a url"])
    func unusableURLIsAnInvalidRequest(url: String) async throws {
        try await withClient { client in
            let error = try await #require(throws: HTTPClientError.self) {
                try await client.send(HTTPClientRequest(url: url))
            }
            #expect(error.kind == .invalidRequest)
            #expect(!error.mayHaveReachedServer)
        }
    }

    /// A port nothing listens on: bound by the kernel's choice, then released.
    private func unusedPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = in_addr_t(INADDR_LOOPBACK).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        try withUnsafeMutablePointer(to: &address) { pointer in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                guard bind(fd, raw, length) == 0, getsockname(fd, raw, &length) == 0 else { throw POSIXError(.EADDRINUSE) }
            }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
