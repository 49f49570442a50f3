import AuditService
import Foundation
import MusterCore
import MusterTime
import Testing

@Suite struct MicroTimeTests {
    @Test func canonicalFormMatchesPythonDatetimeAndParsesBack() throws {
        var samples: [Int64] = [0, 1, -1, 951_782_400_123_456, 1_709_210_096_999_999, -62_135_596_800_000_000,
                                253_402_300_799_999_999, 4_107_542_400_000_000]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<40 { samples.append(Int64.random(in: MicroTime.range.lowerBound.microseconds...MicroTime.range.upperBound.microseconds,
                                                      using: &generator)) }
        let script = """
            from datetime import datetime, timedelta, timezone
            epoch = datetime(1970, 1, 1, tzinfo=timezone.utc)
            for line in sys.stdin.read().split():
                t = epoch + timedelta(microseconds=int(line))
                print('%04d-%02d-%02dT%02d:%02d:%02d.%06dZ' % (t.year, t.month, t.day, t.hour, t.minute, t.second, t.microsecond))
            """
        let expected = try PythonOracle.run(script, input: samples.map(String.init).joined(separator: "\n")).split(separator: "\n")
        #expect(expected.count == samples.count)
        for (micros, python) in zip(samples, expected) {
            let time = MicroTime(microseconds: micros)
            #expect(time.canonical == String(python), "\(micros)")
            #expect(MicroTime(canonical: time.canonical) == time)
        }
    }

    @Test func roundsDatesToTheMicrosecondLikePostgreSQL() {
        #expect(MicroTime(Date(timeIntervalSince1970: 1.000_000_4)).microseconds == 1_000_000)
        #expect(MicroTime(Date(timeIntervalSince1970: 1.000_000_6)).microseconds == 1_000_001)
    }

    @Test func parsesOnlyTheCanonicalForm() {
        for text in ["2025-02-29T00:00:00.000000Z", "2025-01-01T00:00:00Z", "2025-01-01 00:00:00.000000Z",
                     "2025-01-01T24:00:00.000000Z", "2025-13-01T00:00:00.000000Z", "2025-01-01T00:00:00.000000+00", "x"] {
            #expect(MicroTime(canonical: text) == nil, "\(text)")
        }
        #expect(MicroTime(canonical: "2024-02-29T23:59:59.999999Z") != nil)
    }

    @Test func readsRFC3339AsFoundationDoesToTheMicrosecond() throws {
        for text in ["2025-02-19T21:20:00Z", "2025-02-19T21:20:00.1Z", "2025-02-19T21:20:00.123Z", "2025-02-19T21:20:00.123456Z",
                     "2025-02-19T23:20:00.5+02:00", "2025-02-19T19:05:00-02:15", "1999-12-31T23:59:59.999999Z", "2024-02-29T00:00:00Z"] {
            let fast = try #require(MicroTime(rfc3339: text), "\(text)")
            let foundation = try #require(Timestamp.parse(text), "\(text)")
            #expect(fast == MicroTime(foundation), "\(text)")
        }
        #expect(MicroTime(rfc3339: "2025-02-19T21:20:00.1234565Z")?.microseconds == MicroTime(rfc3339: "2025-02-19T21:20:00.123457Z")?.microseconds)
        for bad in ["2025-02-19", "2025-02-19T21:20:00", "2025-02-30T00:00:00Z", "2025-02-19T21:20:00.Z", "2025-02-19T21:20:00+0200",
                    "2025-02-19T21:20:00Zjunk", "2025-02-19 21:20:00Z"] {
            #expect(MicroTime(rfc3339: bad) == nil, "\(bad)")
        }
    }
}
