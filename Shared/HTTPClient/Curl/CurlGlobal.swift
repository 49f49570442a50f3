import CCurl

/// libcurl's process-wide setup, done once before the first handle.
enum CurlGlobal {
    private static let initialized = curl_global_init(Int(CURL_GLOBAL_ALL)) == CURLE_OK

    static func initialize() {
        precondition(initialized, "curl_global_init failed")
    }
}
