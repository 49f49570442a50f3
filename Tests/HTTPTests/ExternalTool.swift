import Foundation

/// Runs a real command-line tool (`curl`, `openssl`) as an independent peer.
enum ExternalTool {
    struct Outcome: Sendable {
        let exitCode: Int32
        let output: [UInt8]
        var text: String { String(decoding: output, as: UTF8.self) }
    }

    /// Runs `tool` with empty stdin; the output is stdout, plus stderr when `includingErrors`.
    static func run(_ tool: String, _ arguments: [String], includingErrors: Bool = false) async throws -> Outcome {
        try await RawClient.offPool {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: tool)
            process.arguments = arguments
            let output = Pipe()
            process.standardOutput = output
            process.standardError = includingErrors ? output : FileHandle.nullDevice
            process.standardInput = FileHandle.nullDevice
            try process.run()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return Outcome(exitCode: process.terminationStatus, output: Array(data))
        }
    }
}
