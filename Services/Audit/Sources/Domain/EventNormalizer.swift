import Foundation
import MusterContracts
import MusterCore
import MusterTime

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
            let json = canonicalChanges(map)
            guard json.bytes.count <= maxChangesBytes else { throw Refusal(reason: "changes is larger than \(maxChangesBytes) bytes") }
            changes = json.text
        }
        var source: AuditSource?
        if let given = event.source, given.ip != nil || given.userAgent != nil || given.requestID != nil {
            source = AuditSource(ip: text(given.ip, 64), userAgent: text(given.userAgent, 512), requestID: text(given.requestID, 128))
        }
        let roles = actor.roles.map { Set($0.map(\.rawValue)).sorted(by: CanonicalJSON.codePointOrder) }
        return EventRecord(
            id: event.id, chain: AuditChain(agency: event.agencyID), occurredAt: occurredAt,
            actor: .init(kind: actor.kind.rawValue, userID: actor.userID, roles: roles?.isEmpty == true ? nil : roles,
                         service: actor.service?.rawValue,
                         supportGrantID: try actor.supportGrantID.map { v throws(Refusal) in try idField(v, limit: 128, name: "support_grant_id") },
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

    /// Whether a key names a secret: compared in ASCII lower case, ignoring everything but letters and digits.
    public static func namesSecret(_ key: String) -> Bool {
        var folded: [UInt8] = []
        folded.reserveCapacity(key.utf8.count)
        for byte in key.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): folded.append(byte)
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): folded.append(byte + 32)
            default: continue
            }
        }
        return secretWords.contains { word in
            folded.count >= word.count && (0...(folded.count - word.count)).contains { folded[$0..<($0 + word.count)].elementsEqual(word) }
        }
    }

    private static let secretWords = ["password", "passwd", "passphrase", "secret", "token", "seed", "privatekey", "apikey",
                                      "recoverycode", "credential", "otpauth"].map { Array($0.utf8) }

    /// `{"<field>":{"after":…,"before":…},…}` in canonical form; a field that names a
    /// secret keeps its shape with both sides redacted, and so does any value under
    /// such a name deeper down.
    static func canonicalChanges(_ map: [String: AuditChange]) -> CanonicalJSON {
        var json = CanonicalJSON()
        json.object { fields in
            for name in map.keys.sorted(by: CanonicalJSON.codePointOrder) {
                let change = map[name]!
                let secret = namesSecret(name)
                fields.member(name) { json in
                    json.object { sides in
                        sides.member("after") { writeRedacting(change.after, secret: secret, into: &$0) }
                        sides.member("before") { writeRedacting(change.before, secret: secret, into: &$0) }
                    }
                }
            }
        }
        return json
    }

    private static func writeRedacting(_ value: JSONValue, secret: Bool, into json: inout CanonicalJSON) {
        if secret {
            return value == .null ? json.null() : json.string("[redacted]")
        }
        switch value {
        case .object(let members):
            json.object { writer in
                for key in members.keys.sorted(by: CanonicalJSON.codePointOrder) {
                    writer.member(key) { writeRedacting(members[key]!, secret: namesSecret(key), into: &$0) }
                }
            }
        case .array(let elements):
            json.array(elements) { writeRedacting($1, secret: false, into: &$0) }
        default:
            json.value(value)
        }
    }

    /// Free text: NUL replaced, cut to `limit` characters.
    static func text(_ value: String?, _ limit: Int) -> String? {
        guard var value else { return nil }
        if value.utf8.contains(0) { value = value.replacingOccurrences(of: "\u{0}", with: "\u{FFFD}") }
        // Counting characters is slow; a text with no more bytes than the limit cannot exceed it.
        return value.utf8.count > limit && value.count > limit ? String(value.prefix(limit)) : value
    }

    /// An id-like value: refused when longer than `limit` bytes.
    private static func idField(_ value: String, limit: Int, name: String) throws(Refusal) -> String {
        guard value.utf8.count <= limit else { throw Refusal(reason: "\(name) is longer than \(limit) bytes") }
        return text(value, limit)!
    }
}
