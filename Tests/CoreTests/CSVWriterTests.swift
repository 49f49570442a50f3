import Foundation
import MusterCore
import MusterTestSupport
import Testing

@Suite struct CSVWriterTests {
    @Test func quotesOnlyWhatNeedsQuotingAndEndsRecordsWithCRLF() {
        var csv = CSVWriter()
        csv.write(["plain", "with, comma", "say \"hi\"", "two\nlines", ""])
        csv.write([nil, "x"])
        #expect(String(decoding: csv.take(), as: UTF8.self) == "plain,\"with, comma\",\"say \"\"hi\"\"\",\"two\nlines\",\r\n,x\r\n")
        #expect(csv.bytes.isEmpty)
    }

    /// OWASP CSV injection: a value a spreadsheet would evaluate starts with `'`.
    @Test(arguments: [("=SUM(A1)", "'=SUM(A1)"), ("+1", "'+1"), ("-2", "'-2"), ("@cmd", "'@cmd"), ("\tx", "'\tx"),
                      ("=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""), ("a=b", "a=b"), ("'quoted", "'quoted")])
    func neutralizesFormulas(_ value: String, _ written: String) {
        var out: [UInt8] = []
        CSVWriter.append(value, to: &out)
        #expect(String(decoding: out, as: UTF8.self) == written)
    }

    /// What the writer writes, Python's `csv` module reads back field for field (formula values with their `'`).
    @Test func pythonsCSVModuleReadsWhatItWrites() throws {
        let alphabet: [String] = ["a", "Z", "9", " ", ",", "\"", "\n", "\r\n", "é", "✓", "=", "-", "'", ";", "+", "@"]
        var generator = SystemRandomNumberGenerator()
        let rows: [[String]] = (0..<500).map { _ in
            (0..<7).map { _ in (0..<Int.random(in: 0...10, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }.joined() }
        }
        var csv = CSVWriter()
        for row in rows { csv.write(row) }
        let bytes = csv.take()
        let script = "import csv, io, json, sys\nprint(json.dumps(list(csv.reader(io.StringIO(sys.stdin.buffer.read().decode('utf-8'), newline='')))))"
        let result = try Command.run("python3", ["-c", script], input: String(decoding: bytes, as: UTF8.self))
        #expect(result.status == 0, "\(result.stderr)")
        let read = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String]])
        let expected = rows.map { $0.map { value in "=+-@\t\r".unicodeScalars.contains(value.unicodeScalars.first ?? " ") ? "'" + value : value } }
        #expect(read == expected)
        var reader = CSVReader(bytes), back: [[String]] = []
        while let record = try reader.next() { back.append(record) }
        #expect(back == expected)
    }
}
