import Foundation
import MusterContracts
import MusterCore

/// Turns an event as a service sent it into an ``EventRecord``, or says why not.
///
/// Refused (the sender keeps the event and its relay retries; nothing is dropped):
/// an `action` that is not a dotted lower-case name, a `changes` map over 64 KiB,
/// an `occurred_at` outside years 1…9999, ids over their length limits.
///
/// Normalized: times to the microsecond; roles sorted; a `source` with no values
/// becomes null, as does an empty `changes`; NUL characters (which PostgreSQL text
/// cannot hold) become U+FFFD; free text (user agent, claimed name, reason) is cut
/// to its limit; and every value under a key that names a secret (password, token,
/// secret, seed, private key, recovery code, credential…), at any depth of
/// `changes`, is replaced by `"[redacted]"` — the last line of defense, since
/// senders must never put secrets in events.
///
/// ```swift
/// do {
///     records.append(try EventNormalizer.normalize(event))
/// } catch {
///     rejected.append(RejectedItem(id: event.id.description, reason: error.reason))
/// }
/// ```
public enum EventNormalizer {
    public struct Refusal: Error, Equatable {
        public let reason: String
    }

    public static let maxChangesBytes = 64 << 10
    public static let redacted = JSONValue.string("[redacted]")

    public static func normalize(_ event: AuditEvent) throws(Refusal) -> EventRecord {
        guard isActionName(event.action) else {
            throw Refusal(reason: "action must be a dotted lower-case name such as user.role.changed (at most 128 characters)")
        }
        let occurredAt = MicroTime(event.occurredAt)
        guard MicroTime.range.contains(occurredAt) else { throw Refusal(reason: "occurred_at is out of range") }
        let actor = event.actor
        var target: AuditTarget?
        if let given = event.target {
            target = AuditTarget(type: try idField(given.type, limit: 64, name: "target.type"),
                                 id: try idField(given.id, limit: 256, name: "target.id"))
        }
        var changes: String?
        if let map = event.changes, !map.isEmpty {
            var json = CanonicalJSON()
            json.value(redact(.object(map.mapValues { .object(["before": $0.before, "after": $0.after]) })))
            guard json.bytes.count <= maxChangesBytes else { throw Refusal(reason: "changes is larger than \(maxChangesBytes) bytes") }
            changes = json.text
        }
        var source: AuditSource?
        if let given = event.source, given.ip != nil || given.userAgent != nil || given.requestId != nil {
            source = AuditSource(ip: text(given.ip, 64), userAgent: text(given.userAgent, 512), requestId: text(given.requestId, 128))
        }
        let roles = actor.roles.map { Set($0.map(\.rawValue)).sorted(by: CanonicalJSON.codePointOrder) }
        return EventRecord(
            id: event.id, chain: AuditChain(agency: event.agencyId), occurredAt: occurredAt,
            actor: .init(kind: actor.kind.rawValue, userID: actor.userId, roles: roles?.isEmpty == true ? nil : roles,
                         service: actor.service?.rawValue,
                         supportGrantID: try actor.supportGrantId.map { v throws(Refusal) in try idField(v, limit: 128, name: "support_grant_id") },
                         claimed: text(actor.claimed, 320)),
            action: event.action, target: target, outcome: event.outcome.rawValue, source: source, changes: changes,
            reason: text(event.reason, 2000))
    }

    /// `segment(.segment)+`, lower-case letters, digits and `_`, starting with a letter, at most 128 bytes.
    public static func isActionName(_ action: String) -> Bool {
        let bytes = Array(action.utf8)
        guard (3...128).contains(bytes.count), (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(bytes[0]) else { return false }
        var dots = 0
        var previous: UInt8 = 0
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"): break
            case UInt8(ascii: "."):
                guard previous != UInt8(ascii: ".") else { return false }
                dots += 1
            default: return false
            }
            previous = byte
        }
        return dots > 0 && previous != UInt8(ascii: ".")
    }

    /// Whether a key names a secret: compared without case and without `_`/`-`.
    public static func namesSecret(_ key: String) -> Bool {
        let folded = String(key.lowercased().unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) })
        return secretWords.contains { folded.contains($0) }
    }

    private static let secretWords = ["password", "passwd", "passphrase", "secret", "token", "seed", "privatekey", "apikey",
                                      "recoverycode", "credential", "otpauth"]

    static func redact(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let members):
            return .object(Dictionary(uniqueKeysWithValues: members.map { key, member in
                (key, namesSecret(key) ? secretShape(member) : redact(member))
            }))
        case .array(let elements):
            return .array(elements.map(redact))
        default:
            return value
        }
    }

    /// Keeps a changed field's before/after shape, redacting both sides.
    private static func secretShape(_ value: JSONValue) -> JSONValue {
        if case .object(let members) = value, Set(members.keys) == ["before", "after"] {
            return .object(members.mapValues { $0 == .null ? .null : redacted })
        }
        return value == .null ? .null : redacted
    }

    /// Free text: NUL replaced, cut to `limit` characters.
    static func text(_ value: String?, _ limit: Int) -> String? {
        guard var value else { return nil }
        if value.utf8.contains(0) { value = value.replacingOccurrences(of: "\u{0}", with: "\u{FFFD}") }
        return value.count > limit ? String(value.prefix(limit)) : value
    }

    /// An id-like value: refused when longer than `limit` bytes.
    private static func idField(_ value: String, limit: Int, name: String) throws(Refusal) -> String {
        guard value.utf8.count <= limit else { throw Refusal(reason: "\(name) is longer than \(limit) bytes") }
        return text(value, limit)!
    }
}
