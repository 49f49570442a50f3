import CCurl

/// A libcurl multi handle.
///
/// `@unchecked Sendable` because of this rule: only the transfer thread calls
/// libcurl with it, except `curl_multi_wakeup`, which libcurl documents as
/// callable from any thread and which ``CurlInbox`` calls only while the
/// thread is running (the thread frees the handle after it stops).
struct CurlMultiPointer: @unchecked Sendable {
    let raw: UnsafeMutableRawPointer
}
