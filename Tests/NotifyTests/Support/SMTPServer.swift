import Foundation
import MusterCore
import MusterTestSupport

/// A real SMTP server (`Fixtures/smtp_server.py`, Debian's python3-aiosmtpd) for one
/// test, storing what it accepts in its own folder.
///
/// ```swift
/// try await SMTPServer.with(["--fail", "451:2"]) { server in
///     let mail = try await server.waitForMessages(3)
/// }
/// ```
final class SMTPServer: @unchecked Sendable {
    /// One accepted message, as `deliveries.jsonl` records it.
    struct Delivery: Decodable {
        var file: String
        var peerPort: Int
        var mailFrom: String
        var rcptTos: [String]
        var tls: Bool
        var authenticated: Bool
    }

    let port: Int
    let folder: URL
    private let process: Process
    /// Closing it makes the server exit, even if the test process dies first.
    private let input: Pipe

    private init(port: Int, folder: URL, process: Process, input: Pipe) {
        self.port = port
        self.folder = folder
        self.process = process
        self.input = input
    }

    var url: String { "smtp://127.0.0.1:\(port)" }

    /// Starts a server with the fixture's options; `port` to reuse one (a server coming back).
    static func start(_ options: [String] = [], port: Int? = nil, folder: URL? = nil) async throws -> SMTPServer {
        let folder = folder ?? FileManager.default.temporaryDirectory.appendingPathComponent("notify-smtp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        var arguments = [MailOracle.fixtures.appendingPathComponent("smtp_server.py").path, "--store", folder.path] + options
        if let port { arguments += ["--port", String(port)] }
        process.arguments = arguments
        let output = Pipe(), input = Pipe()
        process.standardOutput = output
        process.standardInput = input
        try process.run()
        let line = try await FixtureProcess.firstLine(of: output.fileHandleForReading)
        guard let data = line.data(using: .utf8), let json = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              let listening = json["port"] as? Int else {
            throw FixtureFailure("smtp_server.py did not start: \(line)")
        }
        return SMTPServer(port: listening, folder: folder, process: process, input: input)
    }

    /// Runs `body` with a fresh server, removed afterwards whatever happens.
    static func with<T>(_ options: [String] = [], _ body: (SMTPServer) async throws -> T) async throws -> T {
        let server = try await start(options)
        let outcome: Result<T, any Error>
        do {
            outcome = .success(try await body(server))
        } catch {
            outcome = .failure(error)
        }
        await server.remove()
        return try outcome.get()
    }

    /// What the server accepted so far.
    func deliveries() throws -> [Delivery] {
        let log = folder.appendingPathComponent("deliveries.jsonl")
        guard let text = try? String(contentsOf: log, encoding: .utf8) else { return [] }
        return try text.split(separator: "\n").map { try JSONCoding.decode(Delivery.self, from: Array($0.utf8)) }
    }

    /// Waits until at least `count` messages arrived (or `timeout` passed) and parses them all.
    func waitForMessages(_ count: Int, timeout: Duration = .seconds(20)) async throws -> [ParsedMail] {
        let deadline = ContinuousClock.now + timeout
        var deliveries = try deliveries()
        while deliveries.count < count, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
            deliveries = try self.deliveries()
        }
        return try MailOracle.parse(deliveries.map { folder.appendingPathComponent($0.file) })
    }

    /// Stops the server (its stored messages stay until `remove()`).
    func stop() async {
        await FixtureProcess.stop(process)
    }

    /// Stops the server and deletes what it stored.
    func remove() async {
        await stop()
        try? FileManager.default.removeItem(at: folder)
    }
}
