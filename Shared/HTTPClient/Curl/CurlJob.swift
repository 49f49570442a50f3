import MusterHTTP

/// One attempt of a request, resolved against the client's configuration and
/// ready for the transfer thread: plain values only.
struct CurlJob: Sendable {
    var method: HTTPMethod
    var url: String
    /// `Name: value` lines for libcurl, framing fields removed, defaults added.
    var headerLines: [String]
    var body: [UInt8]
    var connectTimeoutMilliseconds: Int
    var timeoutMilliseconds: Int
    var maxResponseBytes: Int

    /// Fields libcurl frames itself; a copy from the caller could desynchronise the connection.
    private static let framingFields = ["Content-Length", "Transfer-Encoding", "Connection", "Keep-Alive",
                                        "Proxy-Connection", "TE", "Upgrade", "Expect"]

    init(_ request: HTTPClientRequest, configuration: HTTPClient.Configuration, credential: String?) {
        method = request.method
        url = request.url
        body = request.body
        connectTimeoutMilliseconds = Self.milliseconds(request.connectTimeout ?? configuration.connectTimeout)
        timeoutMilliseconds = Self.milliseconds(request.timeout ?? configuration.timeout)
        maxResponseBytes = max(0, request.maxResponseBytes ?? configuration.maxResponseBytes)

        var headers = request.headers
        for name in Self.framingFields { headers.remove(name) }
        if let credential, !credential.isEmpty, !headers.contains(configuration.credentialHeader) {
            headers.add(configuration.credentialHeader, "Bearer \(credential)")
        }
        // A bare `Name:` line tells libcurl to drop a header it would add on its own:
        // no `Expect: 100-continue` round trip, no form-encoded content type nobody chose.
        var lines = ["Expect:"]
        if !headers.contains("Content-Type") { lines.append("Content-Type:") }
        for field in headers {
            // `Name;` is libcurl's spelling of a header sent with an empty value.
            lines.append(field.value.isEmpty ? "\(field.name);" : "\(field.name): \(field.value)")
        }
        headerLines = lines
    }

    /// libcurl reads 0 as "no limit": anything positive rounds up to at least 1 ms.
    private static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        let total = seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int(max(1, min(total, Int64(Int32.max))))
    }
}
