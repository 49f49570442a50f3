import Foundation
import MusterContracts
import MusterCore
import MusterTime

/// A person's defensible training file, as of the day it is printed: who they are, every
/// counting training record (approved, completed or passed) in the range with its hours by
/// category, certifications, policy acknowledgements with the documents' hashes, waivers with
/// their reasons, the compliance engine's report for the day, and the audit proof — the
/// agency's latest signed checkpoint and how to check it. Rendered as JSON as is, or as a
/// printable page by ``TranscriptHTML``.
///
/// ```swift
/// let transcript = Transcript(person: person, from: nil, to: nil, printedOn: today, generatedAt: now, records: records,
///                             certifications: [], acknowledgements: [], waivers: [], compliance: report,
///                             checkpoint: latest, agencySlug: "metro-pd")
/// transcript.totalHours          // the records' hours, exact in quarter-hours
/// transcript.hoursByCategory     // [{"code":"firearms","hours":8}, …] by code
/// ```
struct Transcript: Encodable, Sendable {
    struct Person: Codable, Sendable {
        let id: PersonID
        let badgeNumber: String
        let firstName: String
        let lastName: String
        let rank: String?
        let unit: String?
        let hireDate: CalendarDate
        let status: String
        let separatedOn: CalendarDate?
        let licenseNumber: String?
    }

    struct CategoryHours: Encodable, Sendable, Equatable {
        let code: String
        let hours: QuarterHours
    }

    struct Record: Encodable, Sendable {
        let id: TrainingRecordID
        let completedOn: CalendarDate
        let title: String
        let courseCode: String?
        let outcome: String
        let hours: QuarterHours
        let categoryHours: [CategoryHours]
    }

    struct Certification: Codable, Sendable {
        let id: CertificationID
        let typeCode: String
        let typeName: String
        let number: String?
        let issuedOn: CalendarDate
        let expiresOn: CalendarDate?
    }

    struct Acknowledgement: Codable, Sendable {
        let policyID: PolicyID
        let policyCode: String
        let policyTitle: String
        let version: Int
        let sha256: String
        let acknowledgedAt: String
        let clientAddress: String?
    }

    struct Waiver: Codable, Sendable {
        let id: UUID
        let requirementCode: String
        let periodEndsOn: CalendarDate?
        let until: CalendarDate?
        let reason: String
        let createdAt: String
        let revokedAt: String?
    }

    /// The agency's latest signed audit checkpoint (nil before Audit signed one) and how to check it.
    struct AuditProof: Encodable, Sendable {
        let checkpoint: CheckpointDocument?
        let keysURL: String
        let howToVerify: [String]
    }

    let person: Person
    let from: CalendarDate?
    let to: CalendarDate?
    let printedOn: CalendarDate
    let generatedAt: String
    let records: [Record]
    let totalHours: QuarterHours
    let hoursByCategory: [CategoryHours]
    let certifications: [Certification]
    let acknowledgements: [Acknowledgement]
    let waivers: [Waiver]
    let compliance: PersonComplianceReport
    let auditProof: AuditProof

    init(person: Person, from: CalendarDate?, to: CalendarDate?, printedOn: CalendarDate, generatedAt: String, records: [Record],
         certifications: [Certification], acknowledgements: [Acknowledgement], waivers: [Waiver], compliance: PersonComplianceReport,
         checkpoint: CheckpointDocument?, agencySlug: String) {
        self.person = person
        self.from = from
        self.to = to
        self.printedOn = printedOn
        self.generatedAt = generatedAt
        self.records = records
        totalHours = records.reduce(.zero) { $0 + $1.hours }
        var byCode: [String: QuarterHours] = [:]
        for record in records {
            for line in record.categoryHours { byCode[line.code, default: .zero] += line.hours }
        }
        hoursByCategory = byCode.sorted { $0.key < $1.key }.map { CategoryHours(code: $0.key, hours: $0.value) }
        self.certifications = certifications
        self.acknowledgements = acknowledgements
        self.waivers = waivers
        self.compliance = compliance
        auditProof = AuditProof(checkpoint: checkpoint, keysURL: "/api/v1/audit/keys", howToVerify: Self.verification(agencySlug))
    }

    /// What an auditor does with the checkpoint: the chain must verify up to it, signed by a published key.
    static func verification(_ slug: String) -> [String] {
        [
            "Keep this checkpoint (the JSON of audit_proof.checkpoint) outside Muster.",
            "On the platform: audit verify --agency \(slug) --checkpoints kept.json (exit 0: the chain is intact up to every checkpoint given).",
            "Or as an agency admin or auditor: POST /api/v1/audit/verify with {\"checkpoints\":[the checkpoint]} answers {\"ok\":true,…}.",
            "The signature is Ed25519 over the checkpoint's canonical JSON without its signature; the key is the kid's in /api/v1/audit/keys.",
        ]
    }
}
