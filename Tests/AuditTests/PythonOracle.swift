import Foundation
import MusterTestSupport

/// Runs Python against Audit's own offline tool (`Services/Audit/Tools/verify_export.py`),
/// an implementation of the canonical encoding that shares no code with the service.
enum PythonOracle {
    static let python = FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") ? "/usr/bin/python3" : "python3"
    static let tools = TestEnvironment.packageRoot.appendingPathComponent("Services/Audit/Tools")
    static let verifyExport = tools.appendingPathComponent("verify_export.py").path

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Runs `script` with `import verify_export as v` done; `input` arrives on stdin.
    static func run(_ script: String, input: String = "") throws -> String {
        let prelude = "import sys, json\nsys.path.insert(0, \(String(reflecting: tools.path)))\nimport verify_export as v\n"
        let result = try Command.run(python, ["-c", prelude + script], input: input)
        guard result.status == 0 else { throw Failure(description: "python exited \(result.status): \(result.stderr)") }
        return result.stdout.trimmingCharacters(in: .newlines)
    }
}
