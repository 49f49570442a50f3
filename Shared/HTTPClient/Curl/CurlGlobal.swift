import CCurl

/// libcurl's process-wide setup, done once before the first handle (by the
/// HTTP client, and by anything else that drives libcurl, e.g. Notify's SMTP transport).
public enum CurlGlobal {
    private static let initialized = curl_global_init(Int(CURL_GLOBAL_ALL)) == CURLE_OK

    public static func initialize() {
        precondition(initialized, "curl_global_init failed")
    }
}
