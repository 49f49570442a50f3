import Foundation
import Glibc
import Synchronization

/// A test client speaking raw bytes over a real TCP socket. Every blocking call
/// runs on a thread of its own, never on the cooperative pool, so that tests
/// running in parallel cannot starve each other.
final class RawClient: Sendable {
    let fd: Int32
    private let buffer = Mutex<[UInt8]>([])

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    struct ConnectError: Error {
        let code: Int32
    }

    /// Connects to 127.0.0.1:`port`; reads give up after `timeout`.
    init(port: Int, timeout: Duration = .seconds(5)) throws {
        fd = try Self.connect(port: port)
        var limit = timeval(tv_sec: Int(timeout.components.seconds),
                            tv_usec: Int(timeout.components.attoseconds / 1_000_000_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(fd) }

    /// A plain blocking connect; throws `ConnectError` with the errno (e.g. `ECONNREFUSED`).
    static func connect(port: Int) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            let code = errno
            close(fd)
            throw ConnectError(code: code)
        }
        return fd
    }

    func send(_ text: String) throws { try send(Array(text.utf8)) }

    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { throw Failure(description: "send failed: errno \(errno)") }
            offset += sent
        }
    }

    /// Reads one response; `bodyless` for answers to HEAD.
    func readResponse(bodyless: Bool = false) async throws -> TestResponse {
        try await Self.offPool { try self.readResponseBlocking(bodyless: bodyless) }
    }

    /// Reads `count` responses on one thread (for thousands of them).
    func readResponses(_ count: Int) async throws -> [TestResponse] {
        try await Self.offPool { try (0..<count).map { _ in try self.readResponseBlocking(bodyless: false) } }
    }

    /// Reads until the server closes; returns whatever arrived.
    func readToEnd() async throws -> [UInt8] {
        try await Self.offPool {
            while try self.fill() {}
            return self.takeAll()
        }
    }

    /// Ends both directions now, as a client that goes away does.
    func hangUp() {
        Glibc.shutdown(fd, Int32(SHUT_RDWR))
    }

    /// Ends the sending direction only (a half-close): the client still reads.
    func finishSending() {
        Glibc.shutdown(fd, Int32(SHUT_WR))
    }

    /// Whether the server closed the connection (EOF or reset) with nothing more to send.
    func isClosedByServer() async throws -> Bool {
        try await readToEnd().isEmpty
    }

    /// Runs blocking work on a thread of its own.
    static func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try work() }) }.start()
        }
    }

    // MARK: Blocking internals

    /// Reads more bytes into the buffer; `false` at end of stream.
    private func fill() throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if count > 0 {
            buffer.withLock { $0.append(contentsOf: chunk[..<count]) }
            return true
        }
        if count == 0 || errno == ECONNRESET { return false }
        throw Failure(description: "recv failed: errno \(errno) (timeout?)")
    }

    private func takeAll() -> [UInt8] {
        buffer.withLock { buffer in
            defer { buffer.removeAll() }
            return buffer
        }
    }

    private func take(until delimiter: [UInt8]) throws -> [UInt8] {
        while true {
            let found = buffer.withLock { buffer -> [UInt8]? in
                guard let range = buffer.firstRange(of: delimiter) else { return nil }
                defer { buffer.removeSubrange(..<range.upperBound) }
                return Array(buffer[..<range.lowerBound])
            }
            if let found { return found }
            guard try fill() else { throw Failure(description: "closed before \(delimiter)") }
        }
    }

    private func take(count: Int) throws -> [UInt8] {
        while buffer.withLock({ $0.count }) < count {
            guard try fill() else { throw Failure(description: "closed before \(count) bytes") }
        }
        return buffer.withLock { buffer in
            defer { buffer.removeSubrange(..<count) }
            return Array(buffer[..<count])
        }
    }

    private func readResponseBlocking(bodyless: Bool) throws -> TestResponse {
        let head = String(decoding: try take(until: Array("\r\n\r\n".utf8)), as: UTF8.self)
        var lines = head.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst().split(separator: " ", maxSplits: 2)
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else { throw Failure(description: "bad status line in \(head)") }
        let headers = try lines.map { line -> (String, String) in
            guard let colon = line.firstIndex(of: ":") else { throw Failure(description: "bad header line \(line)") }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        var response = TestResponse(version: String(statusLine[0]), status: status, headers: headers, body: [])
        if bodyless || status < 200 || status == 204 || status == 304 { return response }
        if response.header("Transfer-Encoding")?.lowercased() == "chunked" {
            response.body = try readChunks()
        } else if let length = response.header("Content-Length").flatMap(Int.init) {
            response.body = try take(count: length)
        } else {
            while try fill() {}
            response.body = takeAll()
        }
        return response
    }

    private func readChunks() throws -> [UInt8] {
        var body: [UInt8] = []
        while true {
            let sizeLine = String(decoding: try take(until: [13, 10]), as: UTF8.self)
            guard let size = Int(sizeLine.split(separator: ";")[0], radix: 16) else { throw Failure(description: "bad chunk \(sizeLine)") }
            if size == 0 {
                _ = try take(until: [13, 10])
                return body
            }
            body += try take(count: size)
            guard try take(count: 2) == [13, 10] else { throw Failure(description: "chunk not followed by CRLF") }
        }
    }
}

/// A response as the test client parsed it (independently of the server's code).
struct TestResponse: Sendable {
    var version: String
    var status: Int
    var headers: [(String, String)]
    var body: [UInt8]

    func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }

    var text: String { String(decoding: body, as: UTF8.self) }

    /// The `error.code` and `error.request_id` of a uniform error body.
    var error: (code: String, requestID: String)? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
              let error = object["error"] as? [String: Any],
              let code = error["code"] as? String, let requestID = error["request_id"] as? String else { return nil }
        return (code, requestID)
    }
}
