import AuditService
import Foundation
import MusterContracts
import MusterCore

/// Events with a realistic spread: a few hundred people, services, common and rare
/// actions, thousands of targets, a year of occurrence times in order.
struct EventFactory {
    static let actions: [(name: String, weight: Int)] = [
        ("record.training.updated", 30), ("record.training.created", 20), ("auth.login.succeeded", 20),
        ("record.certification.renewed", 8), ("auth.login.failed", 5), ("policy.acknowledged", 5), ("record.expense.submitted", 4),
        ("user.role.changed", 2), ("report.exported", 2), ("user.invited", 2), ("record.training.deleted", 1), ("auth.mfa.reset", 1),
    ]
    private static let weighted = actions.flatMap { Array(repeating: $0.name, count: $0.weight) }

    let agency: AgencyID
    let people: [UserID]
    /// First occurrence and the time between events.
    let start: Date
    let step: TimeInterval

    init(agency: AgencyID, people: Int = 300, start: Date = Date().addingTimeInterval(-365 * 86_400), step: TimeInterval = 30) {
        self.agency = agency
        self.people = (0..<people).map { _ in UserID() }
        self.start = start
        self.step = step
    }

    func event(_ index: Int) -> AuditEvent {
        var random = SplitMix64(seed: UInt64(index))
        let action = Self.weighted[Int(random.next() % UInt64(Self.weighted.count))]
        let person = people[Int(random.next() % UInt64(people.count))]
        let actor: AuditActor = random.next() % 10 == 0 ? .service(.records) : .user(person, roles: [.coordinator])
        return AuditEvent(agencyID: agency, occurredAt: start.addingTimeInterval(Double(index) * step),
                          actor: actor, action: action,
                          target: AuditTarget(type: "training_record", id: "rec-\(random.next() % 5000)"),
                          outcome: action.hasSuffix("failed") ? .failure : .success,
                          source: AuditSource(ip: "10.0.\(random.next() % 256).\(random.next() % 256)", userAgent: "Mozilla/5.0 (bench)",
                                              requestID: "r\(index)"),
                          changes: ["hours": AuditChange(before: .number(Double(random.next() % 40)), after: .number(Double(random.next() % 40)))])
    }

    /// `{"events":[…]}` bodies of `size` events each, for events `range`.
    func batches(_ range: Range<Int>, size: Int) throws -> [[UInt8]] {
        try stride(from: range.lowerBound, to: range.upperBound, by: size).map { first in
            try JSONCoding.encode(AuditEventBatch(events: (first..<min(first + size, range.upperBound)).map(event)))
        }
    }
}
