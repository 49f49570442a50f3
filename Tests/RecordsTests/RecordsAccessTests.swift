import MusterAuth
import MusterCore
import MusterHTTP
@testable import RecordsService
import Testing

/// The access model of issue 19, role by role, and the hours rules.
@Suite struct RecordsAccessTests {
    let own = PersonID(), other = PersonID(), unit = UnitID(), elsewhere = UnitID()

    func caller(_ roles: Set<Role>, units: Set<UnitID> = []) -> RecordsCaller {
        RecordsCaller(user: UserID(), roles: roles, ownPerson: own, supervisedUnits: units)
    }

    @Test func readingAPersonsFile() throws {
        #expect(try RecordsAccess.readPerson(caller([.officer]), person: own, unit: unit) == .own)
        #expect(throws: HTTPErrorMatcher.self) { try HTTPErrorMatcher.wrap { _ = try RecordsAccess.readPerson(caller([.officer]), person: other, unit: unit) } }
        #expect(try RecordsAccess.readPerson(caller([.supervisor], units: [unit]), person: other, unit: unit) == .supervised)
        #expect(throws: HTTPErrorMatcher.self) {
            try HTTPErrorMatcher.wrap { _ = try RecordsAccess.readPerson(caller([.supervisor], units: [unit]), person: other, unit: elsewhere) }
        }
        for role in [Role.coordinator, .agencyAdmin, .auditor] {
            #expect(try RecordsAccess.readPerson(caller([role]), person: other, unit: nil) == .everyone)
        }
        #expect(throws: HTTPErrorMatcher.self) { try HTTPErrorMatcher.wrap { _ = try RecordsAccess.readPerson(caller([.platformOperator]), person: other, unit: nil) } }
    }

    @Test func writingAndSeparationOfDuties() throws {
        for role in [Role.coordinator, .agencyAdmin] { try RecordsAccess.requireWriter(caller([role])) }
        for role in [Role.officer, .supervisor, .auditor, .platformOperator] {
            #expect(throws: HTTPErrorMatcher.self) { try HTTPErrorMatcher.wrap { try RecordsAccess.requireWriter(caller([role])) } }
        }
        let coordinator = caller([.coordinator])
        try RecordsAccess.checkSeparation(coordinator, subject: other)
        do {
            try RecordsAccess.checkSeparation(coordinator, subject: own)
            Issue.record("recording one's own training must be refused")
        } catch {
            #expect(error.code == "separation_of_duties" && error.status.rawValue == 403)
        }
    }

    @Test func hoursAreQuarterHoursAboveZeroUpToAThousand() throws {
        #expect(try QuarterHours.recordable(7.5).value == 30)
        #expect(try QuarterHours.recordable(1000).value == 4000)
        for bad in [0, 0.1, -1, 1000.25, .nan, .infinity] {
            do { _ = try QuarterHours.recordable(bad); Issue.record("\(bad) accepted") } catch { #expect(error.code == "invalid_hours") }
        }
        #expect(try QuarterHours.split(["firearms": 4, "ethics": 2], totalQuarters: 24, known: ["firearms", "ethics"]) == ["firearms": 16, "ethics": 8])
        do { _ = try QuarterHours.split(["nope": 1], totalQuarters: 24, known: ["firearms"]); Issue.record("unknown accepted") } catch {
            #expect(error.code == "unknown_category")
        }
    }
}

/// Lets `#expect(throws:)` match the HTTPError thrown by typed-throws code.
struct HTTPErrorMatcher: Error {
    static func wrap(_ body: () throws -> Void) throws {
        do { try body() } catch { throw HTTPErrorMatcher() }
    }
}
