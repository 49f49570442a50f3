import CCurl
import MusterHTTP

/// One request in flight on the transfer thread: its easy handle, the response
/// being assembled, and where that response goes.
///
/// Lives on the transfer thread only; libcurl calls back into it there.
final class CurlTransfer {
    let id: UInt64
    let easy: CurlEasyHandle
    private let delivery: ResponseDelivery
    private let maxResponseBytes: Int
    private var head = ResponseHeadParser()
    private var body: [UInt8] = []
    private var receivedBytes = 0
    private var exceededLimit = false

    /// - Parameter easy: a new or reset handle, which the transfer configures for `job`.
    init(id: UInt64, easy: CurlEasyHandle, job: CurlJob, delivery: ResponseDelivery) {
        self.id = id
        self.easy = easy
        self.delivery = delivery
        self.maxResponseBytes = job.maxResponseBytes
        configure(for: job)
    }

    /// Whether any of the request went out, which decides if the server may have seen it.
    var requestStarted: Bool { easy.info(CURLINFO_PRETRANSFER_TIME_T) > 0 }

    /// Delivers the outcome libcurl reported for the finished transfer.
    func complete(_ code: CURLcode) {
        guard code == CURLE_OK else {
            return delivery.fail(HTTPClientError.transferFailed(
                code, message: easy.errorMessage(for: code), requestStarted: requestStarted,
                exceededLimit: exceededLimit ? maxResponseBytes : nil))
        }
        guard head.isComplete else { return delivery.fail(HTTPClientError.endedBeforeHead) }
        switch delivery {
        case .buffered(let continuation):
            continuation.resume(returning: HTTPClientResponse(status: head.status, headers: head.headers, body: body))
        case .streamed(let stream):
            stream.finish(.success(()))
        }
    }

    /// Ends the transfer before libcurl did (cancelled, or the client shut down).
    func abort(_ error: any Error) {
        delivery.fail(error)
    }

    fileprivate func receiveHeaderLine(_ line: UnsafeRawBufferPointer) -> Int {
        guard head.consume(line) else { return line.count }
        switch delivery {
        case .buffered:
            if let length = head.headers["Content-Length"].flatMap({ Int($0) }), length <= maxResponseBytes {
                body.reserveCapacity(length)
            }
        case .streamed(let stream):
            stream.deliverHead(StreamedBody.Head(status: head.status, headers: head.headers))
        }
        return line.count
    }

    /// Returning fewer bytes than offered makes libcurl fail the transfer (`CURLE_WRITE_ERROR`).
    fileprivate func receiveBody(_ bytes: UnsafeRawBufferPointer) -> Int {
        guard receivedBytes + bytes.count <= maxResponseBytes else {
            exceededLimit = true
            return 0
        }
        switch delivery {
        case .buffered:
            body.append(contentsOf: bytes)
        case .streamed(let stream):
            guard stream.offer(bytes) else { return Int(CURL_WRITEFUNC_PAUSE) }
        }
        receivedBytes += bytes.count
        return bytes.count
    }

    private func configure(for job: CurlJob) {
        easy.set(CURLOPT_URL, job.url)
        easy.set(CURLOPT_PROTOCOLS_STR, "http,https")
        // An empty proxy disables proxies, including any from `http_proxy` and friends.
        easy.set(CURLOPT_PROXY, "")
        easy.set(CURLOPT_FOLLOWLOCATION, 0)
        // Timeouts must not use signals: they would hit arbitrary threads of the process.
        easy.set(CURLOPT_NOSIGNAL, 1)
        easy.set(CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_1_1)
        easy.set(CURLOPT_TCP_KEEPALIVE, 1)
        easy.set(CURLOPT_TCP_NODELAY, 1)
        // Send the URL as given: a forwarded path must reach the service unaltered.
        easy.set(CURLOPT_PATH_AS_IS, 1)
        easy.set(CURLOPT_CONNECTTIMEOUT_MS, job.connectTimeoutMilliseconds)
        easy.set(CURLOPT_TIMEOUT_MS, job.timeoutMilliseconds)
        // Refuses an announced oversized body before reading it (0 would mean "no limit").
        if job.maxResponseBytes > 0 { easy.set(CURLOPT_MAXFILESIZE_LARGE, large: job.maxResponseBytes) }
        easy.setHeaders(job.headerLines)
        switch job.method {
        case .head:
            easy.set(CURLOPT_NOBODY, 1)
        case .get where job.body.isEmpty:
            easy.set(CURLOPT_HTTPGET, 1)
        default:
            if job.method != .post { easy.set(CURLOPT_CUSTOMREQUEST, job.method.rawValue) }
            // POST, PUT and PATCH always announce their length, even when it is zero.
            if !job.body.isEmpty || [.post, .put, .patch].contains(job.method) { easy.setBody(job.body) }
        }
        let context = Unmanaged.passUnretained(self).toOpaque()
        easy.set(CURLOPT_HEADERFUNCTION, callback: curlHeaderCallback)
        easy.set(CURLOPT_HEADERDATA, pointer: context)
        easy.set(CURLOPT_WRITEFUNCTION, callback: curlWriteCallback)
        easy.set(CURLOPT_WRITEDATA, pointer: context)
    }
}

// libcurl calls these on the transfer thread with the transfer as context; the
// thread keeps the transfer alive for as long as libcurl holds its handle.

private func curlHeaderCallback(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int,
                                _ context: UnsafeMutableRawPointer?) -> Int {
    Unmanaged<CurlTransfer>.fromOpaque(context!).takeUnretainedValue()
        .receiveHeaderLine(UnsafeRawBufferPointer(start: data, count: size * count))
}

private func curlWriteCallback(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int,
                               _ context: UnsafeMutableRawPointer?) -> Int {
    Unmanaged<CurlTransfer>.fromOpaque(context!).takeUnretainedValue()
        .receiveBody(UnsafeRawBufferPointer(start: data, count: size * count))
}
