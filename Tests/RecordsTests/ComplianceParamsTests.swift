import Foundation
import MusterCore
import MusterTime
import RecordsService
import Testing

/// Parsing `params` into typed parameters, and the validator's errors naming each field.
@Suite struct ComplianceParamsTests {
    func json(_ text: String) throws -> JSONValue { try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) }

    func parse(_ kind: RequirementKind, _ text: String) throws -> RequirementParams {
        try RequirementParams.parse(kind: kind, json: json(text))
    }

    func errors(_ kind: RequirementKind, _ text: String, catalog: RequirementCatalog = .unchecked) throws -> [String] {
        do {
            _ = try RequirementParams.parse(kind: kind, json: json(text), catalog: catalog)
            return []
        } catch let error as RequirementParamsError {
            return error.errors.map(\.field)
        }
    }

    @Test func parsesEveryKind() throws {
        #expect(try parse(.hours, """
            {"period":{"kind":"anchored","anchor":"license_issued_on","months":48,"ends_on_month_day":"06-30"},"total_hours":40,
             "category_minimums":[{"category_codes":["firearms","use_of_force"],"hours":4.5}],"new_hires":{"prorate_hours_per_month":3.5}}
            """) == .hours(period: .anchored(anchor: .licenseIssuedOn, months: 48, endsOn: MonthDay("06-30")), totalHours: hours(40),
                           categoryMinimums: [CategoryMinimum(categoryCodes: ["firearms", "use_of_force"], hours: hours(4.5))],
                           newHires: .prorate(perMonth: hours(3.5))))
        #expect(try parse(.hours, #"{"period":{"kind":"calendar_year"},"total_hours":20,"new_hires":"exempt"}"#)
            == .hours(period: .calendarYear, totalHours: hours(20), categoryMinimums: [], newHires: .exempt))
        #expect(try parse(.completion, """
            {"period":{"kind":"fixed","starts_on":"2025-01-01","months":24},"course_codes":["TX-3188"],"outcome":"passed",
             "new_hires":{"exempt_if_hired_after":"04-01"}}
            """) == .completion(period: .fixed(startsOn: day("2025-01-01"), months: 24), training: QualifyingTraining(courseCodes: ["TX-3188"]),
                                passedOnly: true, newHires: .exemptIfHiredAfter(MonthDay("04-01")!)))
        #expect(try parse(.recurring, #"{"every_months":12,"category_codes":["firearms"]}"#)
            == .recurring(everyMonths: 12, training: QualifyingTraining(categoryCodes: ["firearms"]), initialDays: 0))
        let type = CertificationTypeID()
        #expect(try parse(.certification, #"{"certification_type_id":"\#(type)","initial_days":30}"#) == .certification(typeID: type, initialDays: 30))
        let policy = PolicyID()
        #expect(try parse(.policy, #"{"policy_id":"\#(policy)","within_days":14}"#) == .policy(policyID: policy, withinDays: 14))
        #expect(try parse(.hours, #"{"period":{"kind":"anchored","anchor":"hire_date","months":12,"ends_on_month_day":null},"total_hours":8}"#).period
            == .anchored(anchor: .hireDate, months: 12, endsOn: nil))
    }

    @Test func namesEachBadField() throws {
        let year = #""period":{"kind":"calendar_year"}"#
        #expect(try errors(.hours, #"{\#(year),"total_hours":20,"carry_over":true}"#) == ["params.carry_over"])
        #expect(try errors(.hours, #"{"period":{"kind":"fixed","starts_on":"2025-01-01","months":0},"total_hours":20}"#) == ["params.period.months"])
        #expect(try errors(.hours, #"{\#(year),"total_hours":20,"category_minimums":[{"category_codes":["firearms"],"hours":21}]}"#)
            == ["params.category_minimums[0].hours"])
        #expect(try errors(.hours, #"{\#(year),"total_hours":0.1}"#) == ["params.total_hours"])
        #expect(try errors(.hours, #"{\#(year),"total_hours":0}"#) == ["params.total_hours"])
        #expect(try errors(.hours, #"{\#(year),"total_hours":"20"}"#) == ["params.total_hours"])
        #expect(try errors(.hours, #"{\#(year)}"#) == ["params.total_hours"])
        #expect(try errors(.hours, #"{"total_hours":20}"#) == ["params.period"])
        #expect(try errors(.hours, #"{"period":{"kind":"rolling","months":12},"total_hours":20}"#) == ["params.period.kind"])
        #expect(try errors(.hours, #"{"period":{"kind":"calendar_year","months":12},"total_hours":20}"#) == ["params.period.months"])
        #expect(try errors(.hours, #"{"period":{"kind":"anchored","anchor":"birthday","months":12,"ends_on_month_day":"02-29"},"total_hours":1}"#)
            == ["params.period.anchor", "params.period.ends_on_month_day"])
        #expect(try errors(.hours, #"{"period":{"kind":"fixed","starts_on":"2025-02-30","months":12},"total_hours":1}"#)
            == ["params.period.starts_on"])
        #expect(try errors(.hours, #"{\#(year),"total_hours":20,"new_hires":"sometimes"}"#) == ["params.new_hires"])
        #expect(try errors(.hours, #"{\#(year),"total_hours":20,"new_hires":{"exempt_if_hired_after":"4-1"}}"#)
            == ["params.new_hires.exempt_if_hired_after"])
        #expect(try errors(.hours, #"{\#(year),"total_hours":20,"category_minimums":[{"category_codes":["Firearms"],"hours":2},{"category_codes":[],"hours":2}]}"#)
            == ["params.category_minimums[0].category_codes[0]", "params.category_minimums[1].category_codes"])
        #expect(try errors(.completion, #"{\#(year),"new_hires":{"prorate_hours_per_month":3.5}}"#)
            == ["params.course_codes", "params.new_hires.prorate_hours_per_month"])
        #expect(try errors(.completion, #"{\#(year),"category_codes":["a_b","a_b"],"outcome":"failed"}"#) == ["params.category_codes[1]", "params.outcome"])
        #expect(try errors(.recurring, #"{"every_months":12.5,"course_codes":["X"]}"#) == ["params.every_months"])
        #expect(try errors(.recurring, #"{"every_months":12,"course_codes":["X"],"initial_days":-1}"#) == ["params.initial_days"])
        #expect(try errors(.certification, #"{"certification_type_id":"not-a-uuid"}"#) == ["params.certification_type_id"])
        #expect(try errors(.policy, #"{"policy_id":"\#(PolicyID())"}"#) == ["params.within_days"])
        #expect(try errors(.policy, #""policy""#) == ["params"])
    }

    @Test func checksTheAgencyCatalogWhenGiven() throws {
        let catalog = RequirementCatalog(categoryCodes: ["firearms"], courseCodes: ["FQ-1"], certificationTypeIDs: [], policyIDs: [])
        #expect(try errors(.recurring, #"{"every_months":12,"category_codes":["firearms","driving"],"course_codes":["FQ-1","FQ-2"]}"#, catalog: catalog)
            == ["params.course_codes[1]", "params.category_codes[1]"])
        #expect(try errors(.certification, #"{"certification_type_id":"\#(CertificationTypeID())"}"#, catalog: catalog) == ["params.certification_type_id"])
        #expect(try errors(.policy, #"{"policy_id":"\#(PolicyID())","within_days":14}"#, catalog: catalog) == ["params.policy_id"])
    }
}
