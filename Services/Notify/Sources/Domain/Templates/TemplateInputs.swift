import Foundation
import MusterContracts
import MusterCore
import MusterTime

/// What a message's placeholders are computed from: the request's data, its
/// recipient, the agency's name and the platform's public URL.
public struct TemplateInputs: Sendable {
    public var data: [String: String]
    public var recipient: EmailRecipient
    public var agencyName: String
    /// `MUSTER_PUBLIC_URL`, without a trailing `/`.
    public var publicURL: String
    /// When Notify accepted the message: the time of the event it reports, unless the data says otherwise.
    public var acceptedAt: Date

    public init(data: [String: String], recipient: EmailRecipient, agencyName: String, publicURL: String, acceptedAt: Date) {
        self.data = data
        self.recipient = recipient
        self.agencyName = agencyName
        self.publicURL = publicURL.hasSuffix("/") ? String(publicURL.dropLast()) : publicURL
        self.acceptedAt = acceptedAt
    }

    /// Believable values for a preview: sample data, a sample recipient, the agency's real name.
    public static func sample(agencyName: String, publicURL: String, now: Date = Date()) -> TemplateInputs {
        TemplateInputs(
            data: [
                "token": "example-token", "inviter_name": "Jordan Lee", "expires_in_hours": "72",
                "changed_at": Timestamp.rfc3339(now), "locked_email": "sam.rivera@example.org", "failures": "10",
                "certification_name": "Firearms qualification", "expires_on": "2025-03-31",
                "seq": "1024", "hash": "9b74c9897bac770ffc029102a200c5de9b74c9897bac770ffc029102a200c5de",
                "signed_at": Timestamp.rfc3339(now), "kid": "audit-2024-01", "checkpoint": "{\"seq\":1024,\"sig\":\"…\"}",
            ],
            recipient: EmailRecipient(address: "alex.morgan@example.org", name: "Alex Morgan"),
            agencyName: agencyName, publicURL: publicURL, acceptedAt: now)
    }

    /// A link into the web application; `query` values are percent-encoded.
    func link(_ path: String, query: [(String, String)] = []) -> String {
        guard !query.isEmpty else { return publicURL + path }
        let encoded = query.map { name, value in
            name + "=" + (value.addingPercentEncoding(withAllowedCharacters: Self.unreserved) ?? "")
        }
        return publicURL + path + "?" + encoded.joined(separator: "&")
    }

    /// When a link expires: `expires_at` (a time), or `expires_in_hours` / `expires_in_minutes`.
    var expiry: String {
        if data["expires_at"] != nil { return time("expires_at", fallback: "soon") }
        if let hours = data["expires_in_hours"].flatMap(Int.init) { return hours == 1 ? "in 1 hour" : "in \(hours) hours" }
        if let minutes = data["expires_in_minutes"].flatMap(Int.init) { return minutes == 1 ? "in 1 minute" : "in \(minutes) minutes" }
        return "soon"
    }

    /// An RFC 3339 time from the data as people read it (`on 2024-01-09 at 14:05 UTC`),
    /// the text itself when it is not a time, or `fallback` when absent.
    func time(_ key: String, fallback: String) -> String {
        guard let text = data[key] else { return fallback }
        guard let date = Timestamp.parse(text) else { return text }
        return Self.humanTime(date)
    }

    static func humanTime(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "on \(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday)) at \(two(parts.tm_hour)):\(two(parts.tm_min)) UTC"
    }

    /// RFC 3986 unreserved characters: everything else in a query value is escaped.
    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
}
