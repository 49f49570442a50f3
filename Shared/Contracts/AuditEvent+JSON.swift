import MusterCore
import MusterTime

/// Audit events as JSON without `JSONEncoder`: every outbox row of every service
/// is one, and Notify writes one per message sent, where Foundation's encoder
/// cost more than rendering the email. Decodes with ``JSONCoding`` to the same
/// event (a test checks every field).
extension AuditEvent {
    public var json: String {
        var object = JSONObjectText()
        object.add("id", id.description)
        object.add("agency_id", agencyID?.description)
        object.add("occurred_at", Timestamp.rfc3339(occurredAt))
        object.add("actor", raw: actor.json)
        object.add("action", action)
        object.add("target", raw: target.map { target in
            var object = JSONObjectText()
            object.add("type", target.type)
            object.add("id", target.id)
            return object.text
        })
        object.add("outcome", outcome.rawValue)
        object.add("source", raw: source.map { source in
            var object = JSONObjectText()
            object.add("ip", source.ip)
            object.add("user_agent", source.userAgent)
            object.add("request_id", source.requestID)
            return object.text
        })
        object.add("changes", raw: changes.map { changes in
            var object = JSONObjectText()
            for (field, change) in changes.sorted(by: { $0.key < $1.key }) {
                var pair = JSONObjectText()
                pair.add("before", raw: change.before.json)
                pair.add("after", raw: change.after.json)
                object.add(field, raw: pair.text)
            }
            return object.text
        })
        object.add("reason", reason)
        return object.text
    }
}

extension AuditActor {
    fileprivate var json: String {
        var object = JSONObjectText()
        object.add("kind", kind.rawValue)
        object.add("user_id", userID?.description)
        object.add("roles", raw: roles.map { "[" + $0.map { JSONText.quoted($0.rawValue) }.joined(separator: ",") + "]" })
        object.add("service", service?.rawValue)
        object.add("support_grant_id", supportGrantID)
        object.add("claimed", claimed)
        return object.text
    }
}

extension JSONValue {
    /// Non-finite numbers, which JSON cannot hold, become `null`.
    public var json: String {
        switch self {
        case .null: "null"
        case .bool(let value): value ? "true" : "false"
        case .number(let value) where !value.isFinite: "null"
        case .number(let value): value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
        case .string(let value): JSONText.quoted(value)
        case .array(let values): "[" + values.map(\.json).joined(separator: ",") + "]"
        case .object(let members):
            "{" + members.sorted(by: { $0.key < $1.key }).map { JSONText.quoted($0.key) + ":" + $0.value.json }
                .joined(separator: ",") + "}"
        }
    }
}

/// One JSON object's text, member by member; absent (`nil`) members are left out,
/// as the synthesized `Encodable` conformances leave them out.
private struct JSONObjectText {
    private var body = ""

    mutating func add(_ name: String, _ value: String?) {
        guard let value else { return }
        add(name, raw: JSONText.quoted(value))
    }

    mutating func add(_ name: String, raw value: String?) {
        guard let value else { return }
        body += body.isEmpty ? "{" : ","
        JSONText.appendQuoted(name, to: &body)
        body += ":" + value
    }

    var text: String { body.isEmpty ? "{}" : body + "}" }
}
