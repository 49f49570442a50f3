import Foundation
import MusterCore
import MusterTestSupport
import Testing

@Suite struct CSVReaderTests {
    private func records(_ text: String) throws -> [[String]] {
        try records(Array(text.utf8))
    }

    private func records(_ bytes: [UInt8]) throws(CSVError) -> [[String]] {
        var reader = CSVReader(bytes)
        var out: [[String]] = []
        while let record = try reader.next() { out.append(record) }
        return out
    }

    @Test func quotedFieldsHoldCommasQuotesAndLineBreaks() throws {
        let text = "a,b,c\r\n\"Archer, Ann\",\"say \"\"hi\"\"\",\"two\nlines\"\r\nplain,,\"\"\r\n"
        #expect(try records(text) == [["a", "b", "c"], ["Archer, Ann", "say \"hi\"", "two\nlines"], ["plain", "", ""]])
    }

    @Test func lineEndingsAndAByteOrderMarkAreAccepted() throws {
        let expected = [["h1", "h2"], ["1", "2"], ["3", "4"]]
        #expect(try records("h1,h2\r\n1,2\r\n3,4\r\n") == expected)
        #expect(try records("h1,h2\n1,2\n3,4") == expected)
        #expect(try records("h1,h2\r1,2\r3,4\r") == expected)
        #expect(try records([0xEF, 0xBB, 0xBF] + Array("h1,h2\r\n1,2\r\n3,4\r\n".utf8)) == expected)
        #expect(try records("Zoë,Ørsted ✓\n") == [["Zoë", "Ørsted ✓"]])
    }

    /// A record spanning lines is one row, as a spreadsheet shows it; blank lines count but yield nothing.
    @Test func rowsCountRecordsAsASpreadsheetShowsThem() throws {
        var reader = CSVReader(Array("header\n\"one\ntwo\nthree\"\n\nlast\n".utf8))
        var rows: [Int] = []
        while try reader.next() != nil { rows.append(reader.row) }
        #expect(rows == [1, 2, 4])
    }

    @Test func invalidUTF8NamesItsRow() {
        let bytes = Array("h\nok\nok\n".utf8) + [0x66, 0xC3, 0x28, 0x0A] + Array("ok\n".utf8)
        #expect(throws: CSVError(row: 4, message: "Not valid UTF-8.")) { try records(bytes) }
        #expect(throws: CSVError(row: 2, message: "Not valid UTF-8.")) { try records(Array("h\n\"a\n".utf8) + [0xFF] + Array("\"\n".utf8)) }
    }

    private func failure(_ text: String) -> CSVError? {
        do { _ = try records(Array(text.utf8)) } catch { return error }
        return nil
    }

    @Test func malformedQuotingNamesItsRow() {
        #expect(failure("h\nok\nab\"c\n")?.row == 3)
        #expect(failure("h\n\"closed\"x,y\n")?.row == 2)
        #expect(failure("h\nok\n\"never closed\nmore\n").map { $0.row == 3 && $0.message.contains("not closed") } == true)
    }

    /// Python's `csv` module writes the file (both line terminators, minimal and full quoting); the reader must see its rows.
    @Test(arguments: ["\\r\\n", "\\n"])
    func readsWhatPythonsCSVModuleWrites(_ terminator: String) throws {
        let script = """
            import csv, io, json, random, sys
            random.seed(19)
            alphabet = ['a', 'Z', '9', ' ', ',', '"', '\\n', '\\r\\n', 'é', '✓', '=', '-', "'", ';', ':']
            rows = [[''.join(random.choice(alphabet) for _ in range(random.randint(0, 12))) for _ in range(6)] for _ in range(400)]
            rows = [r for r in rows if r != ['']]
            out = io.StringIO(newline='')
            for quoting in (csv.QUOTE_MINIMAL, csv.QUOTE_ALL):
                csv.writer(out, lineterminator='\(terminator)', quoting=quoting).writerows(rows)
            print(json.dumps({'csv': out.getvalue(), 'rows': rows + rows}))
            """
        let result = try Command.run("python3", ["-c", script])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let csv = try #require(object?["csv"] as? String), rows = try #require(object?["rows"] as? [[String]])
        #expect(try records(Array(csv.utf8)) == rows)
    }

    /// 50,000 import rows are read well within an import's budget (this is a debug build).
    @Test func readsFiftyThousandRowsQuickly() throws {
        var text = "badge_number,course_code,title,completed_on,hours,category_hours,outcome,score\r\n"
        for index in 0..<50_000 {
            text += "B-\(index),FA-QUAL,\"Firearms, qualification \(index)\",2024-05-\(index % 28 + 1),4,firearms:2;use_of_force:2,passed,97\r\n"
        }
        let bytes = Array(text.utf8)
        let clock = ContinuousClock()
        var count = 0
        let elapsed = try clock.measure {
            var reader = CSVReader(bytes)
            while let record = try reader.next() {
                count += 1
                #expect(record.count == 8)
            }
        }
        #expect(count == 50_001)
        #expect(elapsed < .seconds(5), "read in \(elapsed)")
    }
}
