import MusterCore
import MusterTime
import RecordsService
import Testing

/// The shipped rule packs: each validates, and each documented example gives its documented result through the engine.
@Suite struct ComplianceRulePackTests {
    @Test func everyShippedPackValidates() throws {
        let packs = try RulePackLibrary.bundled()
        #expect(Set(packs.map(\.code)) == ["california", "texas", "florida", "utah", "washington", "minnesota", "georgia"])
        for pack in packs {
            #expect(!pack.requirements.isEmpty && !pack.examples.isEmpty && pack.label.contains("verify"))
            for requirement in pack.requirements {
                #expect(requirement.source.url.hasPrefix("http") && !requirement.source.citation.isEmpty, "\(pack.code) \(requirement.code)")
            }
        }
    }

    @Test func documentedExamplesHold() throws {
        for pack in try RulePackLibrary.bundled() {
            for example in pack.examples {
                let requirement = try #require(pack.requirements.first { $0.code == example.requirementCode })
                let judged = ComplianceRequirement(id: RequirementID(), code: requirement.code, name: requirement.name, versions: [
                    RequirementVersion(params: requirement.params, effectiveFrom: requirement.effectiveFrom ?? day("1990-01-01"),
                                       dueSoonDays: requirement.dueSoonDays, mandatory: requirement.mandatory),
                ])
                let rulebook = ComplianceRulebook(requirements: [judged])
                let person = CompliancePerson(id: PersonID(), hireDate: example.hireDate, licenseIssuedOn: example.licenseIssuedOn)
                let line = CompliancePlan(rulebook: rulebook, asOf: example.asOf)
                    .report(for: rulebook.prepare(PersonHistory(person: person, records: example.records))).requirements[0]
                let context = "\(pack.code): \(example.description)"
                let expected = example.expected
                #expect(line.status == expected.status, "\(context)")
                if let dueOn = expected.dueOn { #expect(line.dueOn == dueOn, "\(context)") }
                if let period = expected.period { #expect(line.period == period, "\(context)") }
                if let required = expected.requiredHours { #expect(line.requiredHours == required, "\(context)") }
                if let completed = expected.completedHours { #expect(line.completedHours == completed, "\(context)") }
                if let remaining = expected.remainingHours { #expect(line.remainingHours == remaining, "\(context)") }
            }
        }
    }

    @Test func aBadPackNamesItsFields() throws {
        let text = """
            {"code":"x","name":"X","jurisdiction":"XX","label":"verify","last_checked":"2026-12-07",
             "categories":[{"code":"firearms","name":"Firearms"},{"code":"firearms","name":"Again"}],
             "requirements":[{"code":"r","name":"R","kind":"hours","params":{"period":{"kind":"calendar_year"},"total_hours":20,
               "category_minimums":[{"category_codes":["driving"],"hours":2}]},"source":{"citation":"c","url":"u"},"last_checked":"2026-12-07"},
              {"code":"p","name":"P","kind":"policy","params":{},"source":{"citation":"c","url":"u"},"last_checked":"2026-12-07","extra":1}],
             "examples":[]}
            """
        do {
            _ = try RulePack.parse(Array(text.utf8))
            Issue.record("a bad pack parsed")
        } catch let error as RequirementParamsError {
            #expect(error.errors.map(\.field) == ["code", "categories[1].code", "requirements[0].params.category_minimums[0].category_codes[0]",
                                                  "requirements[1].extra", "examples"])
        }
    }
}
