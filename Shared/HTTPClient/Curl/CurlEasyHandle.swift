import CCurl

/// One libcurl easy handle and the C memory its options point at.
///
/// Lives on the transfer thread only (created, used and freed there), so it
/// needs no synchronisation and is deliberately not `Sendable`.
final class CurlEasyHandle {
    let raw: UnsafeMutableRawPointer
    private var headerList: UnsafeMutablePointer<curl_slist>?
    /// libcurl writes its detailed reason for a failure here.
    private let errorBuffer: UnsafeMutablePointer<CChar>

    init() {
        guard let raw = curl_easy_init() else { fatalError("curl_easy_init failed (out of memory)") }
        self.raw = raw
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(to: 0)
        set(CURLOPT_ERRORBUFFER, pointer: UnsafeMutableRawPointer(errorBuffer))
    }

    /// Clears every option for the next transfer; reusing a handle saves its allocation.
    func reset() {
        curl_easy_reset(raw)
        curl_slist_free_all(headerList)
        headerList = nil
        errorBuffer[0] = 0
        set(CURLOPT_ERRORBUFFER, pointer: UnsafeMutableRawPointer(errorBuffer))
    }

    deinit {
        curl_easy_cleanup(raw)
        curl_slist_free_all(headerList)
        errorBuffer.deallocate()
    }

    func set(_ option: CURLoption, _ value: Int) {
        _ = muster_curl_setopt_long(raw, option, value)
    }

    /// For `curl_off_t` options (`…_LARGE`).
    func set(_ option: CURLoption, large value: Int) {
        _ = muster_curl_setopt_off(raw, option, curl_off_t(value))
    }

    /// libcurl copies string options, so the temporary C string may go away afterwards.
    func set(_ option: CURLoption, _ value: String) {
        _ = value.withCString { muster_curl_setopt_ptr(raw, option, $0) }
    }

    func set(_ option: CURLoption, pointer: UnsafeMutableRawPointer?) {
        _ = muster_curl_setopt_ptr(raw, option, pointer)
    }

    func set(_ option: CURLoption, callback: muster_curl_data_cb) {
        _ = muster_curl_setopt_data_cb(raw, option, callback)
    }

    /// Request header lines; the list must outlive the transfer, so the handle owns it.
    func setHeaders(_ lines: [String]) {
        curl_slist_free_all(headerList)
        headerList = nil
        for line in lines { headerList = curl_slist_append(headerList, line) }
        _ = muster_curl_setopt_slist(raw, CURLOPT_HTTPHEADER, headerList)
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

    func info(_ item: CURLINFO) -> Int {
        var value: curl_off_t = 0
        _ = muster_curl_getinfo_off(raw, item, &value)
        return Int(value)
    }

    /// libcurl's reason for `code`, detailed when it wrote one.
    func errorMessage(for code: CURLcode) -> String {
        let detail = String(cString: errorBuffer)
        return detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
    }
}
