import AuditService
import Foundation
import MusterContracts
import MusterCore
import Testing

/// The ingest body reader agrees with `Codable` (JSONCoding) on what an event is.
@Suite struct IncomingEventsTests {
    @Test func readsWhatJSONCodingWritesIntoTheSameEvents() throws {
        var events = (0..<20).map { EventSamples.event(agency: $0 % 3 == 0 ? nil : AgencyID(), index: $0) }
        events[1].reason = "quote \" backslash \\ tab\t nul\u{0} 🚓 \u{2028} é"
        events[2].actor = AuditActor(kind: .anonymous, claimed: "someone@example.test")
        events[3].actor = .service(.notify)
        events[4].changes = ["nested": AuditChange(before: .object(["a": .array([1, "x", nil, true, .number(-0.5e-3)])]), after: nil)]
        events[5].target = nil
        events[5].source = nil
        var support = AuditActor.user(UserID(), roles: [.platformOperator])
        support.supportGrantID = UUID().uuidString
        events[6].actor = support
        let body = try JSONCoding.encode(AuditEventBatch(events: events))
        let read = try IncomingEvents.read(body).map { item -> AuditEvent in
            guard case .event(let event) = item else { throw FixtureError(description: "refused: \(item)") }
            return event
        }
        #expect(read == (try JSONCoding.decode(AuditEventBatch.self, from: body)).events)
    }

    @Test func eachBadEventIsRefusedAloneWithItsId() throws {
        let good = String(decoding: try JSONCoding.encode(EventSamples.event(agency: AgencyID())), as: UTF8.self)
        let id = UUID().uuidString.lowercased()
        let body = #"{"events":[\#(good),{"id":"\#(id)","action":"a.b"},{"id":"\#(id)","occurred_at":"yesterday"},42,\#(good.replacingOccurrences(of: "\"outcome\":\"success\"", with: "\"outcome\":\"maybe\""))]}"#
        let items = try IncomingEvents.read(Array(body.utf8))
        #expect(items.count == 5)
        guard case .event = items[0] else { Issue.record("the good event"); return }
        for item in items.dropFirst() {
            guard case .refused(let refusal) = item else { Issue.record("\(item) should be refused"); continue }
            #expect(!refusal.reason.isEmpty)
        }
        if case .refused(let first) = items[1] { #expect(first.id == id) }
    }

    @Test func malformedJSONIsRefusedWhole() {
        for body in ["", "{", #"{"events":[}"#, #"{"events":[1,]}"#, #"{"events":"x"}"#, #"{"events":[]} x"#, "[1]",
                     #"{"events":["\ud800"]}"#, "{\"events\":[\"a\u{1}b\"]}", #"{"events":[01]}"#, #"{"events":[1.]}"#,
                     String(repeating: "[", count: 100) + String(repeating: "]", count: 100)] {
            #expect(throws: IncomingEvents.Malformed.self, "\(body)") { try IncomingEvents.read(Array(body.utf8)) }
        }
        #expect(throws: Never.self) { try IncomingEvents.read(Array(#"{"events":[],"extra":{"k":[true,false,null,-1.5e3,"\u00e9\ud83d\ude93"]}}"#.utf8)) }
    }

    @Test func readerDecodesStringsAndNumbersExactly() throws {
        let value = try JSONReader.parse(Array(#"{"s":"a\"b\\c\/d\b\f\n\r\t\u00e9\ud83d\ude93","n":[0,-0.25,1e3,123456789012]}"#.utf8))
        #expect(value.value == JSONValue.object(["s": .string("a\"b\\c/d\u{8}\u{C}\n\r\té🚓"), "n": .array([0, .number(-0.25), 1000, .number(123_456_789_012)])]))
    }
}
