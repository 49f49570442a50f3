import MusterCore
import MusterCrypto

/// The two export formats.
///
/// - `jsonl`: for verification. The first line describes the export (range, the
///   signed checkpoint at its last event, the public keys); each further line is
///   one event exactly as hashed plus its `hash` (``EventEncoding``), in seq
///   order. `Tools/verify_export.py` checks such a file offline.
/// - `csv`: for people and spreadsheets, one event per row, a header row first.
///   Text that a spreadsheet would run as a formula (starting with `=`, `+`, `-`,
///   `@`, tab or CR) is prefixed with `'` (``CSVWriter``), so the CSV is not the verifiable form.
///
/// ```swift
/// var out: [UInt8] = []
/// ExportFormat.csv.write(event, into: &out)
/// ```
public enum ExportFormat: String, Sendable, CaseIterable {
    case jsonl, csv

    public var contentType: String {
        switch self {
        case .jsonl: "application/x-ndjson"
        case .csv: "text/csv; charset=utf-8"
        }
    }

    /// The CSV header row (nothing for JSON lines, whose description line the caller writes).
    public var preamble: [UInt8] {
        guard self == .csv else { return [] }
        var out: [UInt8] = []
        CSVWriter.appendRecord(Self.csvColumns.lazy.map(Optional.some), to: &out)
        return out
    }

    public func write(_ event: ChainedEvent, into out: inout [UInt8]) {
        switch self {
        case .jsonl:
            out += EventEncoding.canonical(event, includingHash: true)
            out.append(UInt8(ascii: "\n"))
        case .csv:
            let record = event.record
            let cells: [String?] = [
                String(event.seq), record.id.description, record.chain.agencyID?.description, record.occurredAt.canonical,
                event.recordedAt.canonical, record.actor.kind, record.actor.userID?.description,
                record.actor.roles?.joined(separator: " "), record.actor.service, record.actor.supportGrantID, record.actor.claimed,
                record.action, record.target?.type, record.target?.id, record.outcome, record.source?.ip, record.source?.userAgent,
                record.source?.requestID, record.changes, record.reason, Hex.encode(event.prevHash), Hex.encode(event.hash),
            ]
            CSVWriter.appendRecord(cells, to: &out)
        }
    }

    static let csvColumns = [
        "seq", "id", "agency_id", "occurred_at", "recorded_at", "actor_kind", "actor_user_id", "actor_roles", "actor_service",
        "actor_support_grant_id", "actor_claimed", "action", "target_type", "target_id", "outcome", "source_ip",
        "source_user_agent", "source_request_id", "changes", "reason", "prev_hash", "hash",
    ]
}
