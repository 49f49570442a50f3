import Foundation
import MusterAuth
import MusterContracts
import MusterCore
import MusterTime

/// Reads a `POST /internal/events` body, `{"events":[…]}`, with ``JSONReader``:
/// each element becomes an `AuditEvent` — the same fields, names (`snake_case`)
/// and rules as its `Codable` form — or a refusal of its own, so one bad event
/// never fails its batch-mates. Unknown members are ignored, as `Codable` does.
///
/// ```swift
/// for item in try IncomingEvents.read(request.body) { … }   // throws IncomingEvents.Malformed → 400
/// ```
public enum IncomingEvents {
    public enum Item: Sendable {
        case event(AuditEvent)
        case refused(RejectedItem)
    }

    public struct Malformed: Error, Equatable {
        public let message: String
    }

    public static func read(_ body: [UInt8]) throws(Malformed) -> [Item] {
        guard let root = try? JSONReader.parse(body), case .object = root else { throw Malformed(message: "The body is not valid JSON.") }
        guard case .array(let elements) = root["events"] else { throw Malformed(message: "Field 'events' must be an array.") }
        return elements.map { element in
            do throws(EventNormalizer.Refusal) {
                return .event(try event(element))
            } catch {
                var id = ""
                if case .string(let text) = element["id"] { id = text }
                return .refused(RejectedItem(id: id, reason: "not a valid audit event: \(error.reason)"))
            }
        }
    }

    static func event(_ value: JSONReader.Node) throws(EventNormalizer.Refusal) -> AuditEvent {
        let event = try Fields(value, "event")
        let actor = try Fields(try event.required("actor"), "actor")
        let roles: [Role]? = try actor.optional("roles").map { value throws(EventNormalizer.Refusal) in
            guard case .array(let elements) = value else { throw Fields.refusal("actor.roles must be an array") }
            return try elements.map { element throws(EventNormalizer.Refusal) in
                guard case .string(let name) = element, let role = Role(rawValue: name) else { throw Fields.refusal("unknown role in actor.roles") }
                return role
            }
        }
        let target = try event.optional("target").map { value throws(EventNormalizer.Refusal) in
            let fields = try Fields(value, "target")
            return AuditTarget(type: try fields.string("type"), id: try fields.string("id"))
        }
        let source = try event.optional("source").map { value throws(EventNormalizer.Refusal) in
            let fields = try Fields(value, "source")
            return AuditSource(ip: try fields.optionalString("ip"), userAgent: try fields.optionalString("user_agent"),
                               requestID: try fields.optionalString("request_id"))
        }
        let changes = try event.optional("changes").map { value throws(EventNormalizer.Refusal) in
            guard case .object(let members) = value else { throw Fields.refusal("changes must be an object") }
            var changes: [String: AuditChange] = [:]
            for (name, change) in members {
                let fields = try Fields(change, "changes.\(name)")
                changes[name] = AuditChange(before: try fields.required("before").value, after: try fields.required("after").value)
            }
            return changes
        }
        let kind = try actor.string("kind")
        guard let actorKind = AuditActor.Kind(rawValue: kind) else { throw Fields.refusal("unknown actor.kind") }
        let service = try actor.optionalString("service").map { name throws(EventNormalizer.Refusal) in
            guard let service = ServiceName(rawValue: name) else { throw Fields.refusal("unknown actor.service") }
            return service
        }
        guard let outcome = AuditOutcome(rawValue: try event.string("outcome")) else { throw Fields.refusal("unknown outcome") }
        let time = try event.string("occurred_at")
        guard let occurredAt = MicroTime(rfc3339: time)?.date ?? Timestamp.parse(time) else {
            throw Fields.refusal("occurred_at is not an RFC 3339 time")
        }
        return AuditEvent(
            id: try event.id("id"), agencyID: try event.optionalString("agency_id").map { text throws(EventNormalizer.Refusal) in
                guard let agency = UUIDText.parse(text) else { throw Fields.refusal("agency_id is not a UUID") }
                return AgencyID(agency)
            }, occurredAt: occurredAt,
            actor: AuditActor(kind: actorKind, userID: try actor.optionalString("user_id").map { text throws(EventNormalizer.Refusal) in
                guard let user = UUIDText.parse(text) else { throw Fields.refusal("actor.user_id is not a UUID") }
                return UserID(user)
            }, roles: roles, service: service, supportGrantID: try actor.optionalString("support_grant_id"),
            claimed: try actor.optionalString("claimed")),
            action: try event.string("action"), target: target, outcome: outcome, source: source, changes: changes,
            reason: try event.optionalString("reason"))
    }

    /// The members of one object, read with the messages a refusal carries.
    private struct Fields {
        let node: JSONReader.Node
        let path: String

        init(_ node: JSONReader.Node, _ path: String) throws(EventNormalizer.Refusal) {
            guard case .object = node else { throw Self.refusal("\(path) must be an object") }
            self.node = node
            self.path = path
        }

        static func refusal(_ reason: String) -> EventNormalizer.Refusal { EventNormalizer.Refusal(reason: reason) }

        func required(_ name: String) throws(EventNormalizer.Refusal) -> JSONReader.Node {
            guard let value = node[name] else { throw Self.refusal("missing \(name)") }
            return value
        }

        /// Absent and `null` are both nil.
        func optional(_ name: String) -> JSONReader.Node? {
            guard let value = node[name], value != .null else { return nil }
            return value
        }

        func string(_ name: String) throws(EventNormalizer.Refusal) -> String {
            guard case .string(let text) = try required(name) else { throw Self.refusal("\(name) must be a string") }
            return text
        }

        func optionalString(_ name: String) throws(EventNormalizer.Refusal) -> String? {
            guard let value = optional(name) else { return nil }
            guard case .string(let text) = value else { throw Self.refusal("\(name) must be a string") }
            return text
        }

        func id(_ name: String) throws(EventNormalizer.Refusal) -> EventID {
            guard let id = UUIDText.parse(try string(name)) else { throw Self.refusal("\(name) is not a UUID") }
            return EventID(id)
        }
    }
}
