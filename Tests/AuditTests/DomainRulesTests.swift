import AuditService
import MusterCore
import MusterCrypto
import MusterOutbox
import MusterTime
import Testing

@Suite struct DomainRulesTests {
    @Test func filtersParseTheQueryAndRefuseNonsense() throws {
        let user = UserID()
        let filter = try EventFilter(query: ["from": "2025-01-01", "to": "2025-02-01T00:00:00Z", "actor": user.description,
                                             "action": "auth.login.*", "target_type": "user", "target_id": "x"])
        #expect(filter.from?.canonical == "2025-01-01T00:00:00.000000Z")
        #expect(filter.actorUser == user)
        #expect(filter.actionPrefix == "auth.login")
        #expect(try EventFilter(query: ["actor": "records"]).actorService == .records)
        for bad in [["from": "yesterday"], ["action": "Auth"], ["target_id": "x"], ["actor": "someone"]] {
            #expect(throws: EventFilter.Invalid.self) { try EventFilter(query: bad) }
        }
    }

    @Test func cursorsRoundTripAndRejectForgeries() {
        let cursor = EventCursor(occurredAt: MicroTime(microseconds: 1_740_000_000_000_001), seq: 42)
        #expect(EventCursor(fields: cursor.fields) == cursor)
        #expect(cursor.fields == ["1", "1740000000000001", "42"])
        #expect(EventCursor(fields: ["x"]) == nil)
        #expect(EventCursor(fields: ["2", "1740000000000001", "42"]) == nil)
        #expect(EventCursor(fields: ["1", "1740000000000001", "0"]) == nil)
        // Times no timestamp can hold (they once crashed the service when bound).
        for micros in [Int64.min, Int64.max, MicroTime.range.upperBound.microseconds + 1] {
            #expect(EventCursor(fields: ["1", String(micros), "1"]) == nil)
        }
    }

    @Test func retentionPurgesWholePrefixesOnly() throws {
        #expect(RetentionPolicy.purgeThrough(firstKeptSeq: 5001, head: 9000, alreadyCut: 0) == 5000)
        #expect(RetentionPolicy.purgeThrough(firstKeptSeq: 1, head: 9000, alreadyCut: 0) == nil)
        #expect(RetentionPolicy.purgeThrough(firstKeptSeq: 5001, head: 9000, alreadyCut: 5000) == nil)
        #expect(RetentionPolicy.purgeThrough(firstKeptSeq: nil, head: 9000, alreadyCut: 100) == 9000)
        #expect(throws: RetentionPolicy.Invalid.self) { try RetentionPolicy(years: 0) }
        #expect(RetentionPolicy.standard.years == 7)
    }

    @Test func backoffGrowsToItsCapWithFullJitter() {
        let backoff = Backoff(base: .milliseconds(250), cap: .seconds(30))
        #expect(backoff.ceiling(afterFailures: 0) == .zero)
        #expect(backoff.ceiling(afterFailures: 1) == .milliseconds(250))
        #expect(backoff.ceiling(afterFailures: 3) == .seconds(1))
        #expect(backoff.ceiling(afterFailures: 10_000) == .seconds(30))
        #expect(backoff.delay(afterFailures: 5, unit: 0) == .zero)
        #expect(backoff.delay(afterFailures: 5, unit: 1) == .seconds(4))
        for _ in 0..<100 { #expect(backoff.delay(afterFailures: 4) <= .seconds(2)) }
    }

    @Test func equalJitterWaitsAtLeastHalfTheCeiling() {
        let backoff = Backoff(base: .seconds(1), cap: .seconds(300), jitter: .equal)
        #expect(backoff.delay(afterFailures: 1, unit: 0) == .milliseconds(500))
        #expect(backoff.delay(afterFailures: 1, unit: 1) == .seconds(1))
        #expect(backoff.delay(afterFailures: 20, unit: 0) == .seconds(150))
        for _ in 0..<100 {
            let delay = backoff.delay(afterFailures: 3)
            #expect(delay >= .seconds(2) && delay <= .seconds(4))
        }
    }
}
