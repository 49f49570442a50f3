import Glibc
import MusterHTTP

/// Why the server could not start.
public struct HTTPServerError: Error, CustomStringConvertible {
    public let operation: String
    public let code: Int32

    static func system(_ operation: String, _ code: Int32) -> HTTPServerError {
        HTTPServerError(operation: operation, code: code)
    }

    public var description: String { "\(operation) failed: \(String(cString: strerror(code))) (errno \(code))" }
}
