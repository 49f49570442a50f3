import Foundation

/// Runs a real program (curl, psql, python3, a service binary) and captures its output.
public struct CommandResult: Sendable {
    public let status: Int32
    public let stdout: String
    public let stderr: String
}

public enum Command {
    /// Runs `executable` with `arguments`, feeding `input` on stdin; waits for it to exit.
    @discardableResult
    public static func run(_ executable: String, _ arguments: [String], input: String? = nil,
                           environment: [String: String]? = nil, currentDirectory: URL? = nil) throws -> CommandResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable.hasPrefix("/") ? executable : "/usr/bin/env")
        process.arguments = executable.hasPrefix("/") ? arguments : [executable] + arguments
        if let environment { process.environment = environment }
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }
        let out = Pipe(), err = Pipe(), stdin = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = stdin
        try process.run()
        if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
        try stdin.fileHandleForWriting.close()
        // Read both pipes before waiting so a chatty child cannot block on a full pipe.
        let group = DispatchGroup()
        nonisolated(unsafe) var outData = Data(), errData = Data()
        group.enter()
        DispatchQueue.global().async { outData = out.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        errData = err.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return CommandResult(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                             stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Runs SQL as the test cluster's superuser (psql), returning unaligned tuples.
    @discardableResult
    public static func psql(_ sql: String, database: String? = nil) throws -> String {
        var url = TestEnvironment.databaseURL
        if let database, var components = URLComponents(string: url) {
            components.path = "/" + database
            url = components.string ?? url
        }
        let result = try run("psql", [url, "-v", "ON_ERROR_STOP=1", "-qtAX", "-c", sql])
        guard result.status == 0 else { throw CommandFailure(command: "psql", result: result) }
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

public struct CommandFailure: Error, CustomStringConvertible {
    public let command: String
    public let result: CommandResult
    public var description: String { "\(command) exited \(result.status): \(result.stderr)" }
}
