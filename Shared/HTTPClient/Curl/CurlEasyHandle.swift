import CCurl

/// One libcurl easy handle and the C memory its options point at.
///
/// Used by one thread at a time (the HTTP client's transfer thread creates,
/// uses and frees its handles), so it needs no synchronisation and is
/// deliberately not `Sendable`. Public so that other libcurl users (Notify's
/// SMTP transport) set options the same way.
///
/// ```swift
/// let easy = CurlEasyHandle()
/// easy.set(CURLOPT_URL, "smtp://127.0.0.1:2525/muster.example")
/// easy.set(CURLOPT_MAIL_RCPT, list: ["<alex@x.example>"])
/// let code = easy.perform()
/// ```
public final class CurlEasyHandle {
    public let raw: UnsafeMutableRawPointer
    /// String lists (`curl_slist`) options point at, by option: they must outlive the transfer.
    private var lists: [CURLoption.RawValue: UnsafeMutablePointer<curl_slist>] = [:]
    /// libcurl writes its detailed reason for a failure here.
    private let errorBuffer: UnsafeMutablePointer<CChar>

    public init() {
        guard let raw = curl_easy_init() else { fatalError("curl_easy_init failed (out of memory)") }
        self.raw = raw
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(to: 0)
        set(CURLOPT_ERRORBUFFER, pointer: UnsafeMutableRawPointer(errorBuffer))
    }

    /// Clears every option for the next transfer; reusing a handle saves its allocation.
    public func reset() {
        curl_easy_reset(raw)
        freeLists()
        errorBuffer[0] = 0
        set(CURLOPT_ERRORBUFFER, pointer: UnsafeMutableRawPointer(errorBuffer))
    }

    deinit {
        curl_easy_cleanup(raw)
        freeLists()
        errorBuffer.deallocate()
    }

    private func freeLists() {
        for list in lists.values { curl_slist_free_all(list) }
        lists = [:]
    }

    /// Runs the transfer on the calling thread (the easy interface); it blocks until done.
    public func perform() -> CURLcode {
        curl_easy_perform(raw)
    }

    public func set(_ option: CURLoption, _ value: Int) {
        _ = muster_curl_setopt_long(raw, option, value)
    }

    /// For `curl_off_t` options (`…_LARGE`).
    public func set(_ option: CURLoption, large value: Int) {
        _ = muster_curl_setopt_off(raw, option, curl_off_t(value))
    }

    /// libcurl copies string options, so the temporary C string may go away afterwards.
    public func set(_ option: CURLoption, _ value: String) {
        _ = value.withCString { muster_curl_setopt_ptr(raw, option, $0) }
    }

    public func set(_ option: CURLoption, pointer: UnsafeMutableRawPointer?) {
        _ = muster_curl_setopt_ptr(raw, option, pointer)
    }

    public func set(_ option: CURLoption, callback: muster_curl_data_cb) {
        _ = muster_curl_setopt_data_cb(raw, option, callback)
    }

    public func set(_ option: CURLoption, debugCallback: muster_curl_debug_cb) {
        _ = muster_curl_setopt_debug_cb(raw, option, debugCallback)
    }

    /// A string-list option (`CURLOPT_HTTPHEADER`, `CURLOPT_MAIL_RCPT`…); the handle owns the list.
    public func set(_ option: CURLoption, list lines: [String]) {
        curl_slist_free_all(lists.removeValue(forKey: option.rawValue))
        var list: UnsafeMutablePointer<curl_slist>?
        for line in lines { list = curl_slist_append(list, line) }
        lists[option.rawValue] = list
        _ = muster_curl_setopt_slist(raw, option, list)
    }

    /// Request header lines.
    func setHeaders(_ lines: [String]) {
        set(CURLOPT_HTTPHEADER, list: lines)
    }

    /// Body bytes, copied by libcurl (`CURLOPT_COPYPOSTFIELDS`) so that no Swift buffer must stay pinned.
    func setBody(_ body: [UInt8]) {
        set(CURLOPT_POSTFIELDSIZE_LARGE, large: body.count)
        body.withUnsafeBytes { bytes in
            // An empty array may have no address; any valid pointer will do for zero bytes.
            withUnsafeBytes(of: 0) { placeholder in
                _ = muster_curl_setopt_ptr(raw, CURLOPT_COPYPOSTFIELDS, bytes.baseAddress ?? placeholder.baseAddress)
            }
        }
    }

    /// A `curl_off_t` item (`…_T`).
    public func info(_ item: CURLINFO) -> Int {
        var value: curl_off_t = 0
        _ = muster_curl_getinfo_off(raw, item, &value)
        return Int(value)
    }

    /// A `long` item, e.g. `CURLINFO_RESPONSE_CODE`.
    public func longInfo(_ item: CURLINFO) -> Int {
        var value = 0
        _ = muster_curl_getinfo_long(raw, item, &value)
        return value
    }

    /// libcurl's reason for `code`, detailed when it wrote one.
    public func errorMessage(for code: CURLcode) -> String {
        let detail = String(cString: errorBuffer)
        return detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
    }
}
