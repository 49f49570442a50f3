import Foundation
import MusterCore
import MusterTime
import RecordsService
import Testing

/// Kinds `completion`, `recurring`, `certification` and `policy`, and the report's JSON.
@Suite struct ComplianceDatedKindsTests {
    @Test func completionByCourseOrCategoryAndOutcome() {
        let training = QualifyingTraining(courseCodes: ["TX-3188"], categoryCodes: ["legislative_update"])
        let anyOutcome = Judge(version(.completion(period: calendarYear, training: training, passedOnly: false, newHires: .full)))
        let officer = person(hired: "2025-01-01")
        let byCourse = record("2025-03-01", 4, course: "TX-3188")
        let byCategory = record("2025-04-01", 4, ["legislative_update": 1])
        let unrelated = record("2025-05-01", 4, ["firearms": 4], course: "TX-9999")
        var line = anyOutcome.line(officer, [unrelated], asOf: "2025-06-01")
        #expect(line.status == .inProgress && line.requiredHours == nil && line.categoryProgress == nil)
        line = anyOutcome.line(officer, [byCourse, unrelated, byCategory], asOf: "2025-06-01")
        #expect(line.status == .met && line.contributingRecordIDs == [byCourse.id.description, byCategory.id.description])
        let passedOnly = Judge(version(.completion(period: calendarYear, training: training, passedOnly: true, newHires: .full)))
        #expect(passedOnly.line(officer, [byCourse, byCategory], asOf: "2025-06-01").status == .inProgress)
        #expect(passedOnly.line(officer, [record("2025-03-01", 4, course: "TX-3188", outcome: .passed)], asOf: "2025-06-01").status == .met)
        #expect(anyOutcome.line(officer, [byCourse], asOf: "2026-01-01").status == .inProgress) // 2025 met
        #expect(anyOutcome.line(officer, [unrelated], asOf: "2026-01-01").status == .overdue)
    }

    @Test func recurringFromTheLastPassedQualification() {
        let firearms = QualifyingTraining(courseCodes: ["FQ-1"], categoryCodes: ["firearms"])
        let judge = Judge(version(.recurring(everyMonths: 12, training: firearms, initialDays: 30)))
        let officer = person(hired: "2025-01-10")
        var line = judge.line(officer, asOf: "2025-01-10")
        #expect(line.status == .dueSoon && line.dueOn == day("2025-02-09") && line.lastCompletedOn == nil)
        #expect(judge.line(officer, asOf: "2025-02-10").status == .overdue)
        let passed = record("2025-02-01", 2, ["firearms": 2], outcome: .passed)
        let records = [passed, record("2025-03-01", 2, ["firearms": 2]), record("2025-04-01", 2, course: "FQ-1", outcome: .failed)]
        line = judge.line(officer, records, asOf: "2025-06-01")
        #expect(line.status == .met && line.dueOn == day("2026-02-01") && line.lastCompletedOn == day("2025-02-01"))
        #expect(line.contributingRecordIDs == [passed.id.description])
        #expect(judge.line(officer, records, asOf: "2025-12-03").status == .dueSoon)
        #expect(judge.line(officer, records, asOf: "2026-02-01").status == .dueSoon)
        #expect(judge.line(officer, records, asOf: "2026-02-02").status == .overdue)
        // By course code too; and before it was passed, the earlier one stands.
        let course = record("2025-08-01", 1, course: "FQ-1", outcome: .passed)
        #expect(judge.line(officer, records + [course], asOf: "2025-08-01").dueOn == day("2026-08-01"))
        #expect(judge.line(officer, records + [course], asOf: "2025-07-31").dueOn == day("2026-02-01"))
    }

    @Test func recurringMonthEndAndFirstEffectiveDate() {
        let monthly = Judge(version(.recurring(everyMonths: 1, training: QualifyingTraining(categoryCodes: ["firearms"]), initialDays: 0)))
        let officer = person(hired: "2010-01-01")
        let line = monthly.line(officer, [record("2024-01-31", 1, ["firearms": 1], outcome: .passed)], asOf: "2024-02-01")
        #expect(line.dueOn == day("2024-02-29"))
        let late = Judge(version(.recurring(everyMonths: 12, training: QualifyingTraining(categoryCodes: ["firearms"]), initialDays: 10),
                                 from: "2025-06-01"))
        #expect(late.line(officer, asOf: "2025-06-01").dueOn == day("2025-06-11"))
    }

    @Test func untilWaiversAreInclusive() {
        let judge = Judge(version(.recurring(everyMonths: 12, training: QualifyingTraining(categoryCodes: ["firearms"]), initialDays: 0)))
        let officer = person(hired: "2025-01-01")
        let waiver = untilWaiver("2025-03-01")
        let line = judge.line(officer, asOf: "2025-03-01", waivers: [waiver, untilWaiver("2025-04-01", id: 2)])
        #expect(line.status == .waived && line.waiver == waiver && line.dueOn == day("2025-01-01"))
        #expect(judge.line(officer, asOf: "2025-03-02", waivers: [waiver]).status == .overdue)
        #expect(judge.line(officer, asOf: "2025-03-01", waivers: [periodWaiver("2025-12-31")]).status == .overdue)
    }

    @Test func certificationLatestExpiryNeverExpiringWins() {
        let firstAid = CertificationTypeID()
        let judge = Judge(version(.certification(typeID: firstAid, initialDays: 90)))
        let officer = person(hired: "2025-01-01")
        func cert(_ issued: String, _ expires: String?, voided: Bool = false, type: CertificationTypeID? = nil) -> ComplianceCertification {
            ComplianceCertification(id: CertificationID(), typeID: type ?? firstAid, issuedOn: day(issued), expiresOn: expires.map(day), voided: voided)
        }
        let old = cert("2020-01-01", "2024-12-31"), current = cert("2023-01-01", "2026-06-30")
        let voided = cert("2023-01-01", "2030-01-01", voided: true), future = cert("2026-01-01", "2031-01-01")
        let other = cert("2023-01-01", "2035-01-01", type: CertificationTypeID())
        func line(_ certs: [ComplianceCertification], _ asOf: String) -> RequirementReport {
            judge.line(PersonHistory(person: officer, certifications: certs), asOf: asOf)
        }
        var result = line([old, current, voided, future, other], "2025-06-01")
        #expect(result.status == .met && result.expiresOn == day("2026-06-30") && result.dueOn == day("2026-06-30"))
        #expect(result.contributingRecordIDs == [current.id.description])
        #expect(line([old, current, voided, future], "2026-05-15").expiresOn == day("2031-01-01"))
        #expect(line([old, current], "2026-05-15").status == .dueSoon)
        #expect(line([old], "2025-06-01").status == .overdue && line([old], "2025-06-01").dueOn == day("2024-12-31"))
        let lifetime = cert("2021-01-01", nil)
        result = line([old, current, lifetime], "2025-06-01")
        #expect(result.status == .met && result.dueOn == nil && result.expiresOn == nil)
        #expect(result.contributingRecordIDs == [lifetime.id.description])
        // None held: due `initial_days` after the hire date.
        #expect(line([], "2025-01-05").status == .inProgress && line([], "2025-01-05").dueOn == day("2025-04-01"))
        #expect(line([], "2025-02-01").status == .dueSoon)
        #expect(line([future], "2025-04-02").status == .overdue)
    }

    @Test func policyLatestPublishedVersionTiesToTheHigher() {
        let policy = PolicyID()
        let versions = [CompliancePolicyVersion(policyID: policy, version: 1, publishedOn: day("2025-01-10")),
                        CompliancePolicyVersion(policyID: policy, version: 3, publishedOn: day("2025-03-01")),
                        CompliancePolicyVersion(policyID: policy, version: 2, publishedOn: day("2025-03-01"))]
        let judge = Judge(version(.policy(policyID: policy, withinDays: 14)), policies: versions)
        let officer = person(hired: "2024-01-01")
        func line(_ acks: [(Int, String)], _ asOf: String, hired: CompliancePerson? = nil) -> RequirementReport {
            judge.line(PersonHistory(person: hired ?? officer, acknowledgements: acks.map {
                PolicyAcknowledgement(policyID: policy, version: $0.0, acknowledgedOn: day($0.1))
            }), asOf: asOf)
        }
        #expect(line([], "2024-12-31").status == .notApplicable)
        #expect(line([], "2025-02-01").status == .overdue && line([], "2025-02-01").dueOn == day("2025-01-24"))
        #expect(line([(1, "2025-01-20")], "2025-02-01").status == .met)
        let afterTie = line([(1, "2025-01-20"), (2, "2025-03-02"), (3, "2025-03-06")], "2025-03-05")
        #expect(afterTie.status == .dueSoon && afterTie.dueOn == day("2025-03-15"))
        #expect(line([(2, "2025-03-02"), (3, "2025-03-06")], "2025-03-06").status == .met)
        #expect(line([], "2025-05-02", hired: person(hired: "2025-05-01")).dueOn == day("2025-05-15"))
        let patient = Judge(version(.policy(policyID: policy, withinDays: 14), dueSoonDays: 5), policies: versions)
        #expect(patient.line(officer, asOf: "2025-03-05").status == .inProgress)
    }

    @Test func reportJSONHasEverySpecField() throws {
        let judge = Judge(hoursRequirement(calendarYear, total: 20, minimums: [(["firearms"], 2)]))
        let officer = person(hired: "2025-01-01")
        let report = judge.report(PersonHistory(person: officer, records: [record("2025-02-01", 2.5, ["firearms": 1.25], id: 7)]), asOf: "2025-06-01")
        let json = try JSONSerialization.jsonObject(with: Data(JSONCoding.encode(report))) as? [String: Any]
        #expect(json?["status"] as? String == "compliant" && json?["as_of"] as? String == "2025-06-01")
        let line = try #require((json?["requirements"] as? [[String: Any]])?.first)
        #expect(Set(line.keys) == ["requirement_id", "code", "name", "kind", "status", "due_on", "period", "required_hours", "completed_hours",
                                   "remaining_hours", "category_progress", "last_completed_on", "expires_on", "contributing_record_ids", "waiver"])
        #expect(line["status"] as? String == "in_progress" && line["kind"] as? String == "hours" && line["due_on"] as? String == "2025-12-31")
        #expect(line["completed_hours"] as? Double == 2.5 && line["remaining_hours"] as? Double == 17.5)
        #expect((line["period"] as? [String: String]) == ["starts_on": "2025-01-01", "ends_on": "2025-12-31"])
        #expect(line["last_completed_on"] is NSNull && line["waiver"] is NSNull)
        #expect(line["contributing_record_ids"] as? [String] == ["00000000-0000-4000-8000-000000000007"])
        let progress = try #require((line["category_progress"] as? [[String: Any]])?.first)
        #expect(progress["category_codes"] as? [String] == ["firearms"] && progress["completed_hours"] as? Double == 1.25)
    }
}
