import Foundation
import MusterHTTP
import MusterTestSupport
import MusterTime
@testable import RecordsService
import Testing

@Suite struct ImportValidationTests {
    static let catalog: ImportCatalog = {
        var catalog = ImportCatalog()
        for index in 0..<100 { catalog.people["B-\(index)"] = UUID() }
        catalog.categories = ["firearms", "use_of_force"]
        catalog.courses["FA-QUAL"] = .init(id: UUID(), title: "Firearms qualification", hours: QuarterHours(16), categoryHours: ["firearms": 16])
        catalog.units = ["Patrol": UUID(), "Twin": nil]
        return catalog
    }()
    static let today = CalendarDate("2025-06-30")!
    static let header = "badge_number,course_code,title,completed_on,hours,category_hours,outcome,score"

    private func rows(_ text: String) -> Result<[TrainingImport.Row], ImportProblems> {
        TrainingImport.validate(Array(text.utf8), catalog: Self.catalog, today: Self.today)
    }

    @Test func courseDefaultsQuotedFieldsBOMAndCRLF() throws {
        let text = "\u{FEFF}" + Self.header + "\r\nB-1,FA-QUAL,,2025-01-02,,,passed,97.5\r\n"
            + "B-2,,\"Defensive tactics, \"\"refresher\"\"\nday 2\",2025-01-03,2.5,firearms:1;use_of_force:1.5,completed,\r\n"
        let imported = try rows(text).get()
        #expect(imported.count == 2)
        #expect(imported[0].title == "Firearms qualification" && imported[0].hours == QuarterHours(16) && imported[0].categoryHours == ["firearms": 16])
        #expect(imported[0].score == "97.5")
        #expect(imported[1].title == "Defensive tactics, \"refresher\"\nday 2" && imported[1].hours == QuarterHours(10))
        #expect(imported[1].categoryHours == ["firearms": 4, "use_of_force": 6] && imported[1].score == nil)
    }

    @Test func everyBadRowIsNamedWithItsField() {
        let text = Self.header + "\n"
            + "B-1,FA-QUAL,,2025-02-30,,,passed,\n"        // 2: invalid date
            + "B-1,,Range,2025-01-02,0.1,,passed,\n"       // 3: hours 0.1
            + "B-999,,Range,2025-01-02,1,,passed,\n"       // 4: unknown badge
            + "B-1,,Range,2025-01-02,1,swimming:1,passed,\n"  // 5: unknown category
            + "B-1,,Range,2025-01-02,1,firearms:2,passed,\n"  // 6: categories above hours
            + "B-1,,Range,2025-07-01,1,,passed,\n"         // 7: future
            + "B-1,,Range,2025-01-02,1,,maybe,101.123\n"   // 8: outcome and score
        guard case .failure(let problems) = rows(text) else { Issue.record("expected a refusal"); return }
        #expect(problems.listed.map(\.row) == [2, 3, 4, 5, 6, 7, 8, 8])
        #expect(problems.listed.map(\.field) == ["completed_on", "hours", "badge_number", "category_hours", "category_hours", "completed_on",
                                                 "outcome", "score"])
    }

    /// One bad row among 50,000 refuses the file and names that row (a record spanning two lines is still one row).
    @Test func rowThirtySevenThousandIsNamed() {
        var text = Self.header + "\r\n\"B-0\",FA-QUAL,\"two\nlines\",2025-01-02,,,passed,\r\n"
        for index in 3...50_001 {
            text += index == 37_000 ? "B-1,FA-QUAL,,2025-13-01,,,passed,\r\n" : "B-\(index % 100),FA-QUAL,,2025-01-02,4,firearms:2,passed,90\r\n"
        }
        guard case .failure(let problems) = rows(text) else { Issue.record("expected a refusal"); return }
        #expect(problems.listed == [ImportRowError(row: 37_000, field: "completed_on", message: "Not a date (YYYY-MM-DD).")])
    }

    @Test func headerProblemsAndUnreadableFilesRefuseTheFile() {
        guard case .failure(let unknown) = rows("badge_number,completed_on,outcome,colour\nB-1,2025-01-02,passed,red\n") else { Issue.record(); return }
        #expect(unknown.listed.map(\.field) == ["colour"] && unknown.listed[0].row == 1)
        guard case .failure(let missing) = rows("badge_number,title\nB-1,x\n") else { Issue.record(); return }
        #expect(Set(missing.listed.map(\.field)) == ["completed_on", "outcome"])
        let invalid = Array((Self.header + "\nB-1,,Range,2025-01-02,1,,passed,\nB-1,,Ran").utf8) + [0xC3, 0x28] + Array("ge,2025-01-02,1,,passed,\n".utf8)
        guard case .failure(let utf8) = TrainingImport.validate(invalid, catalog: Self.catalog, today: Self.today) else { Issue.record(); return }
        #expect(utf8.listed == [ImportRowError(row: 3, field: "file", message: "Not valid UTF-8.")])
        guard case .failure(let empty) = rows(Self.header + "\n") else { Issue.record(); return }
        #expect(empty.listed.map(\.field) == ["file"])
    }

    @Test func personnelRowsAreCheckedAgainstTheRosterAndEachOther() {
        let text = "badge_number,first_name,last_name,email,unit,hire_date,status,separated_on\n"
            + "N-1,Ann,Archer,ANN@metro.example,Patrol,2020-01-02,,\n"
            + "N-1,Bob,Barr,,,2020-01-02,,\n"
            + "B-5,Cy,Cole,,,2020-01-02,,\n"
            + "N-2,Di,Dunn,,Twin,2020-01-02,separated,\n"
        guard case .failure(let problems) = PersonnelImport.validate(Array(text.utf8), catalog: Self.catalog, today: Self.today) else {
            Issue.record(); return
        }
        #expect(problems.listed.map(\.row) == [3, 4, 5, 5])
        #expect(problems.listed.map(\.field) == ["badge_number", "badge_number", "unit", "separated_on"])
        let good = PersonnelImport.validate(Array("badge_number,first_name,last_name,hire_date,email\nN-1,Ann,Archer,2020-01-02,ANN@metro.example\n".utf8),
                                            catalog: Self.catalog, today: Self.today)
        #expect((try? good.get())?.first?.email == "ann@metro.example")
    }

    @Test(arguments: [("4", 16), ("2.5", 10), ("0.75", 3), ("1.250", 5), ("1000", 4000)])
    func quarterHoursParse(_ text: String, _ quarters: Int) {
        #expect(QuarterHours(decimal: text)?.value == quarters)
        #expect(QuarterHours(quarters).decimal == text.replacingOccurrences(of: "1.250", with: "1.25"))
        // A JSON number and a CSV cell of the same hours are one value.
        #expect(QuarterHours(number: Double(text)!) == QuarterHours(decimal: text))
    }

    /// JSON numbers go through the same parser: every multiple of 0.25 up to 1000 (Python's Fraction the oracle of
    /// which are), and nothing else among numbers a client might send.
    @Test func jsonNumbersParseAsTheirDecimalText() throws {
        let script = "from fractions import Fraction as F\nfor q in range(0, 4001): print(q, repr(float(F(q, 4))))"
        let output = try Command.run("python3", ["-c", script]).stdout
        for line in output.split(separator: "\n") {
            let parts = line.split(separator: " ")
            #expect(QuarterHours(number: Double(String(parts[1]))!) == QuarterHours(Int(parts[0])!))
        }
        for bad in [0.1, 0.3, -0.25, 1e-5, 7.125, .nan, .infinity, 1e16] { #expect(QuarterHours(number: bad) == nil, "\(bad)") }
        #expect(throws: HTTPError.self) { try QuarterHours.recordable(0) }
        #expect(throws: HTTPError.self) { try QuarterHours.recordable(1000.25) }
    }

    @Test(arguments: ["0.1", "1.3", "-1", "", ".5", "1.", "1e2", "abc"])
    func quarterHoursRefuse(_ text: String) {
        #expect(QuarterHours(decimal: text) == nil)
    }
}
