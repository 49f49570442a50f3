import Foundation
import MusterCore
import MusterHTTPClient
import MusterTestSupport

/// The Python peer (`Fixtures/peer.py`) on its own free port, for one test.
///
/// ```swift
/// try await PeerServer.with { peer in
///     let response = try await client.send(HTTPClientRequest(url: peer.url("/echo")))
/// }
/// ```
struct PeerServer: Sendable {
    let port: Int
    /// A port whose listen backlog is full: connecting to it times out.
    let blackholePort: Int

    func url(_ pathAndQuery: String) -> String { "http://127.0.0.1:\(port)\(pathAndQuery)" }

    /// What the peer counted so far.
    struct Stats: Decodable {
        var connections: Int
        var hits: [String: Int]
        var aborted: Int
    }

    func stats(using client: HTTPClient) async throws -> Stats {
        try await client.json(.get, url("/stats"), as: Stats.self)
    }

    /// Runs `body` against a fresh peer, stopped afterwards.
    static func with<T>(_ body: (PeerServer) async throws -> T) async throws -> T {
        let process = Process()
        // Debian's interpreter: starts twice as fast as a version manager's shim.
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/peer.py")
        process.arguments = [script.path]
        let output = Pipe()
        // The peer exits when this pipe closes, even if the test process dies first.
        let input = Pipe()
        process.standardOutput = output
        process.standardInput = input
        try process.run()
        let outcome: Result<T, any Error>
        do {
            let line = try await FixtureProcess.firstLine(of: output.fileHandleForReading)
            let ports = try JSONCoding.decode(Ports.self, from: Array(line.utf8))
            outcome = .success(try await body(PeerServer(port: ports.port, blackholePort: ports.blackholePort)))
        } catch {
            outcome = .failure(error)
        }
        await FixtureProcess.stop(process)
        return try outcome.get()
    }

    private struct Ports: Decodable {
        var port: Int
        var blackholePort: Int
    }
}

/// Runs `body` with a client that is shut down afterwards, whatever happens.
func withClient<T>(_ configuration: HTTPClient.Configuration = HTTPClient.Configuration(),
                   credentialProvider: HTTPClient.CredentialProvider? = nil,
                   _ body: (HTTPClient) async throws -> T) async throws -> T {
    let client = HTTPClient(configuration: configuration, credentialProvider: credentialProvider)
    do {
        let result = try await body(client)
        await client.shutdown()
        return result
    } catch {
        await client.shutdown()
        throw error
    }
}
