import AuditService
import Foundation
import MusterContracts
import MusterCore
import MusterTime

/// Events shaped like the ones services send.
enum EventSamples {
    static func event(agency: AgencyID?, action: String = "record.training.updated", index: Int = 0,
                      occurredAt: Date = Date(timeIntervalSince1970: 1_740_000_000)) -> AuditEvent {
        AuditEvent(agencyID: agency, occurredAt: occurredAt.addingTimeInterval(Double(index)),
                   actor: .user(UserID(), roles: [.coordinator, .officer]), action: action,
                   target: AuditTarget(type: "training_record", id: UUID().uuidString.lowercased()), outcome: .success,
                   source: AuditSource(ip: "203.0.113.\(index % 250)", userAgent: "Mozilla/5.0", requestID: "req\(index)"),
                   changes: ["hours": AuditChange(before: .number(Double(index)), after: .number(Double(index) + 1.5))],
                   reason: index % 3 == 0 ? "correction \(index)" : nil)
    }

    static func records(_ count: Int, chain: AuditChain) -> [EventRecord] {
        (0..<count).map { try! EventNormalizer.normalize(event(agency: chain.agencyID, index: $0)) }
    }

    static func chain(_ count: Int, chain: AuditChain = .agency(AgencyID())) -> [ChainedEvent] {
        ChainLinker.link(records(count, chain: chain), after: .genesis, at: MicroTime(microseconds: 1_740_000_000_000_000))
    }
}
