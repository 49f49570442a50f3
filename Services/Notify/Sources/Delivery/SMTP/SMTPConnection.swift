import Foundation
import CCurl
import MusterHTTPClient

/// One SMTP connection to the relay, kept open between messages: a libcurl easy
/// handle whose connection cache reuses the session (no new TCP, TLS or AUTH
/// per message); libcurl reconnects by itself when the server closed it.
///
/// `@unchecked Sendable` because of this rule: it is used by one send at a time,
/// on a thread of the transport's pool; `SMTPTransport` takes it out of its idle
/// list for the send and puts it back after.
final class SMTPConnection: @unchecked Sendable {
    private let easy = CurlEasyHandle()
    private var upload: [UInt8] = []
    private var uploaded = 0
    /// The server's reply lines in the current exchange (the last few).
    private var replies: [String] = []
    /// The verb of the last command sent (`MAIL`, `RCPT`, `DATA`, `AUTH`…), never its arguments.
    private var lastCommand: String?
    /// After a failure libcurl says `QUIT`: the server's `221` is no answer to the message.
    private var quitting = false

    private static let verbs: Set<String> = ["EHLO", "HELO", "STARTTLS", "AUTH", "MAIL", "RCPT", "DATA", "RSET", "NOOP"]

    init(settings: SMTPSettings) {
        easy.set(CURLOPT_URL, Self.url(settings))
        easy.set(CURLOPT_PROTOCOLS_STR, "smtp,smtps")
        easy.set(CURLOPT_PROXY, "")
        easy.set(CURLOPT_NOSIGNAL, 1)
        easy.set(CURLOPT_TCP_KEEPALIVE, 1)
        easy.set(CURLOPT_TCP_NODELAY, 1)
        easy.set(CURLOPT_MAXCONNECTS, 1)
        easy.set(CURLOPT_USE_SSL, Int(settings.requireTLS ? CURLUSESSL_ALL.rawValue : CURLUSESSL_TRY.rawValue))
        if let caFile = settings.caFile { easy.set(CURLOPT_CAINFO, caFile) }
        if let username = settings.username, let password = settings.password {
            easy.set(CURLOPT_USERNAME, username)
            easy.set(CURLOPT_PASSWORD, password)
        }
        easy.set(CURLOPT_CONNECTTIMEOUT_MS, settings.connectTimeout.milliseconds)
        easy.set(CURLOPT_TIMEOUT_MS, settings.timeout.milliseconds)
        easy.set(CURLOPT_UPLOAD, 1)
        let context = Unmanaged.passUnretained(self).toOpaque()
        easy.set(CURLOPT_READFUNCTION, callback: smtpReadCallback)
        easy.set(CURLOPT_READDATA, pointer: context)
        // The debug stream is how libcurl shows the server's replies; it never reaches a log.
        easy.set(CURLOPT_VERBOSE, 1)
        easy.set(CURLOPT_DEBUGFUNCTION, debugCallback: smtpDebugCallback)
        easy.set(CURLOPT_DEBUGDATA, pointer: context)
    }

    /// Sends one message; blocks the calling thread until the server answered or the timeout passed.
    func send(_ message: [UInt8], from: MailAddress, to: MailAddress) -> DeliveryOutcome {
        upload = message
        uploaded = 0
        replies = []
        lastCommand = nil
        quitting = false
        easy.set(CURLOPT_MAIL_FROM, "<\(from.value)>")
        easy.set(CURLOPT_MAIL_RCPT, list: ["<\(to.value)>"])
        easy.set(CURLOPT_INFILESIZE_LARGE, large: message.count)
        let code = easy.perform()
        upload = []
        let reply = lastReply
        if code == CURLE_OK { return .sent(reply: reply) }
        let replyCode = replies.last.flatMap { Int($0.prefix(3)) }
        let reason = reply.isEmpty || replyCode.map({ $0 < 400 }) == true ? easy.errorMessage(for: code) : reply
        return DeliveryOutcome.failure(code: replyCode.flatMap { $0 >= 400 ? $0 : nil }, command: lastCommand, reply: reason)
    }

    /// The server's last reply, all its lines (`250-…` continuation lines, then `250 …`).
    private var lastReply: String {
        guard let last = replies.last else { return "" }
        let continuation = last.prefix(3) + "-"
        let earlier = replies.dropLast().reversed().prefix { $0.hasPrefix(continuation) }
        return (earlier.reversed() + [last]).joined(separator: " ")
    }

    /// `smtp://host:port/<helo name>`: libcurl takes the URL's path as the `EHLO` name.
    private static func url(_ settings: SMTPSettings) -> String {
        let afterScheme = settings.url.range(of: "://").map { settings.url[$0.upperBound...] } ?? ""
        return afterScheme.contains("/") ? settings.url : settings.url + "/" + settings.heloName
    }

    fileprivate func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        let count = min(buffer.count, upload.count - uploaded)
        guard count > 0 else { return 0 }
        upload.withUnsafeBytes { source in
            buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[uploaded..<(uploaded + count)]))
        }
        uploaded += count
        return count
    }

    fileprivate func observe(_ type: curl_infotype, _ text: UnsafeRawBufferPointer) {
        switch type {
        case CURLINFO_HEADER_IN where !quitting:
            for line in text.split(separator: UInt8(ascii: "\n")) {
                let trimmed = line.last == UInt8(ascii: "\r") ? line.dropLast() : line[...]
                replies.append(String(decoding: trimmed.prefix(300), as: UTF8.self))
            }
            if replies.count > 6 { replies.removeFirst(replies.count - 6) }
        case CURLINFO_HEADER_OUT:
            // The first word, upper-cased; read from the bytes (it is on every command's path).
            let word = text.prefix(8).prefix { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\r") && $0 != UInt8(ascii: "\n") }
            let verb = String(decoding: word.map { $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z") ? $0 - 32 : $0 }, as: UTF8.self)
            if verb == "QUIT" { quitting = true }
            if Self.verbs.contains(verb) { lastCommand = verb }
        default:
            break
        }
    }
}

// libcurl calls these on the sending thread with the connection as context.

private func smtpReadCallback(_ buffer: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int,
                              _ context: UnsafeMutableRawPointer?) -> Int {
    Unmanaged<SMTPConnection>.fromOpaque(context!).takeUnretainedValue()
        .read(into: UnsafeMutableRawBufferPointer(start: buffer, count: size * count))
}

private func smtpDebugCallback(_ handle: UnsafeMutableRawPointer?, _ type: curl_infotype, _ data: UnsafeMutablePointer<CChar>?,
                               _ size: Int, _ context: UnsafeMutableRawPointer?) -> Int32 {
    Unmanaged<SMTPConnection>.fromOpaque(context!).takeUnretainedValue()
        .observe(type, UnsafeRawBufferPointer(start: data, count: size))
    return 0
}
