import Foundation

/// A response as seen by the real `curl` binary.
public struct CurlResponse: Sendable {
    public let status: Int
    /// Header names lower-cased; the last value of a repeated header wins.
    public let headers: [String: String]
    public let body: String

    public var json: [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any]
    }
}

public enum Curl {
    /// `curl -sS -i` with the given method, headers and body; extra arguments go last.
    public static func request(_ method: String = "GET", _ url: String, headers: [String: String] = [:],
                               body: String? = nil, extra: [String] = []) throws -> CurlResponse {
        var arguments = ["-sS", "-i", "--max-time", "20", "-X", method]
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) { arguments += ["-H", "\(name): \(value)"] }
        if body != nil { arguments += ["--data-binary", "@-"] }
        arguments += extra + [url]
        let result = try Command.run("curl", arguments, input: body)
        guard result.status == 0 else { throw CommandFailure(command: "curl \(url)", result: result) }
        return parse(result.stdout)
    }

    static func parse(_ output: String) -> CurlResponse {
        // A 100 Continue (or several informational answers) may precede the final one.
        var text = output[...]
        while let range = text.range(of: "\r\n\r\n"), text.hasPrefix("HTTP/"), text.dropFirst(9).hasPrefix("1") {
            text = text[range.upperBound...]
        }
        let split = text.range(of: "\r\n\r\n")
        let head = split.map { text[..<$0.lowerBound] } ?? text
        let body = split.map { String(text[$0.upperBound...]) } ?? ""
        var lines = head.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst().split(separator: " ")
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return CurlResponse(status: statusLine.count > 1 ? Int(statusLine[1]) ?? 0 : 0, headers: headers, body: body)
    }
}
