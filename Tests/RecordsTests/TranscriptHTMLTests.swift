import Foundation
import MusterContracts
import MusterCore
@testable import RecordsService
import MusterTime
import Testing

/// The printable transcript: exact category totals, every value escaped, no script, a print style sheet.
@Suite struct TranscriptHTMLTests {
    static func transcript(title: String, checkpoint: CheckpointDocument?) -> Transcript {
        let person = Transcript.Person(id: PersonID(), badgeNumber: "B-<7>", firstName: "Ann", lastName: "O'Hara & Sons", rank: nil, unit: nil,
                                       hireDate: CalendarDate("2020-01-15")!, status: "active", separatedOn: nil, licenseNumber: nil)
        func record(_ quarters: Int64, _ lines: [(String, Int64)]) -> Transcript.Record {
            Transcript.Record(id: TrainingRecordID(), completedOn: CalendarDate("2024-03-01")!, title: title, courseCode: nil, outcome: "passed",
                              hours: QuarterHours(quarters: quarters),
                              categoryHours: lines.map { Transcript.CategoryHours(code: $0.0, hours: QuarterHours(quarters: $0.1)) })
        }
        let report = PersonComplianceReport(personID: person.id, asOf: CalendarDate("2024-06-01")!, status: .overdue, requirements: [])
        return Transcript(person: person, from: nil, to: CalendarDate("2024-12-31"), printedOn: CalendarDate("2024-06-01")!,
                          generatedAt: "2024-06-01T12:00:00Z", records: [record(9, [("firearms", 5), ("use_of_force", 4)]), record(6, [("firearms", 6)])],
                          certifications: [], acknowledgements: [], waivers: [], compliance: report, checkpoint: checkpoint, agencySlug: "metro-pd")
    }

    @Test func totalsAreExactAndEveryValueIsEscaped() throws {
        let checkpoint = CheckpointDocument(agencyID: nil, seq: 42, hash: String(repeating: "ab", count: 32), kid: "k\"1", kind: "on_demand",
                                            signature: "sig<>", signedAt: "2024-06-01T11:00:00.000000Z", v: 1)
        let transcript = Self.transcript(title: "<script>alert('x')</script> & more", checkpoint: checkpoint)
        #expect(transcript.totalHours == QuarterHours(quarters: 15))
        #expect(transcript.hoursByCategory == [.init(code: "firearms", hours: QuarterHours(quarters: 11)), .init(code: "use_of_force", hours: QuarterHours(quarters: 4))])
        let html = TranscriptHTML.render(transcript, agencyName: "Metro <PD>")
        #expect(!html.lowercased().contains("<script"), "no script, not even a title that looks like one")
        #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; more") && html.contains("O&#39;Hara &amp; Sons"))
        #expect(html.contains("Metro &lt;PD&gt;") && html.contains("B-&lt;7&gt;") && html.contains("k&quot;1") && html.contains("sig&lt;&gt;"))
        #expect(html.contains("@media print") && html.contains(checkpoint.hash) && html.contains("audit verify --agency metro-pd"))
        #expect(html.contains("<td>Total</td><td>3.75</td>") && html.contains("<td>firearms</td><td>2.75</td>"))
        #expect(!html.contains("http://") && !html.contains("https://") && !html.contains(" src="), "nothing loads from elsewhere")
    }

    @Test func withoutACheckpointThePageSaysSo() {
        let html = TranscriptHTML.render(Self.transcript(title: "Range day", checkpoint: nil), agencyName: "Metro")
        #expect(html.contains("no checkpoint") && html.contains("up to 2024-12-31"))
    }
}
