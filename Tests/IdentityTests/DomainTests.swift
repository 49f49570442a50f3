import Foundation
@testable import IdentityService
import MusterCore
import Testing

/// Identity's pure rules, without a database.
@Suite struct DomainTests {
    @Test(arguments: ["abc", "metro-pd", "a1-b2-c3", String(repeating: "x", count: 40)])
    func acceptsWellFormedSlugs(_ slug: String) throws {
        #expect(try AgencySlug.validated(slug).rawValue == slug)
    }

    @Test(arguments: ["ab", "Metro", "-metro", "metro-", "metro_pd", "metro pd", String(repeating: "x", count: 41), "platform", "mëtro"])
    func refusesBadOrReservedSlugs(_ slug: String) {
        #expect(throws: ValidationFailure.self) { try AgencySlug.validated(slug) }
    }

    @Test func personNamesAreCountedByCodePointLikeTheDatabase() throws {
        #expect(try PersonName.validated("  Jane Doe ") == "Jane Doe")
        #expect(try PersonName.validated(String(repeating: "é", count: 200)).unicodeScalars.count == 200)
        // 20 graphemes but 220 code points: String.count says 20, PostgreSQL's length() says 220.
        let stacked = String(repeating: "e\u{301}\u{302}\u{303}\u{304}\u{305}\u{306}\u{307}\u{308}\u{309}\u{30A}", count: 20)
        #expect(stacked.count == 20)
        for bad in ["", "   ", "Jane\u{7}Doe", stacked, String(repeating: "x", count: 201)] {
            #expect(throws: ValidationFailure.self) { try PersonName.validated(bad) }
        }
    }

    @Test func normalisesAndValidatesEmails() {
        #expect(EmailAddress(" Jane.Doe@Metro.Example ")?.rawValue == "jane.doe@metro.example")
        #expect(EmailAddress("jane.doe@metro.example")?.localPart == "jane.doe")
        for bad in ["", "jane", "jane@", "@metro.example", "jane@metro", "ja ne@metro.example", "a@b@c.example",
                    String(repeating: "a", count: 65) + "@metro.example", "j@" + String(repeating: "d", count: 250) + ".example"] {
            #expect(EmailAddress(bad) == nil, "\(bad.prefix(30))")
        }
    }

    @Test func passwordPolicyFollowsNIST() throws {
        let policy = try PasswordPolicy.bundled()
        #expect(policy.blocklist.count >= 10_000)
        let email = try #require(EmailAddress("jane.doe@metro.example"))
        #expect(policy.problem(with: "Quiet harbour lanterns 42!", agencySlug: "metro-pd", email: email) == nil)
        #expect(policy.problem(with: "short one", agencySlug: "metro-pd", email: email) != nil)
        #expect(policy.problem(with: String(repeating: "x", count: 129), agencySlug: "metro-pd", email: email) != nil)
        #expect(policy.problem(with: "aaaaaaaaaaaa", agencySlug: "metro-pd", email: email) == nil, "no composition rules")
        #expect(policy.problem(with: "1qaz2wsx3edc", agencySlug: "metro-pd", email: email) != nil, "on the common list")
        #expect(policy.problem(with: "1QAZ2WSX3EDC", agencySlug: "metro-pd", email: email) != nil, "compared case-insensitively")
        #expect(policy.problem(with: "I love METRO-PD forever", agencySlug: "metro-pd", email: email) != nil, "contains the slug")
        #expect(policy.problem(with: "jane.doe rides a horse", agencySlug: "metro-pd", email: email) != nil, "contains the email name")
        // NFKC: twelve fullwidth letters count as twelve characters and are compared as ASCII.
        #expect(policy.problem(with: "ｍｅｔｒｏ-ｐｄ rocks!!", agencySlug: "metro-pd", email: email) != nil)
        #expect(policy.problem(with: "🔒🔑🚓👮🏽‍♀️ and more words", agencySlug: "metro-pd", email: email) == nil, "any characters")
    }

    @Test func opaqueTokensCarryTheirAgencyAndKind() throws {
        let agency = AgencyID()
        let token = OpaqueToken(kind: .refresh, agency: agency)
        let parsed = try #require(OpaqueToken(parsing: token.text, kind: .refresh))
        #expect(parsed.agency == agency && parsed.hash == token.hash && token.hash.count == 32)
        #expect(OpaqueToken(parsing: token.text, kind: .invitation) == nil)
        #expect(OpaqueToken(parsing: token.text + "x", kind: .refresh) == nil)
        #expect(OpaqueToken(parsing: "mrt.zz.zz", kind: .refresh) == nil)
    }

    @Test func agencySettingsStayWithinBounds() throws {
        #expect(try AgencySettings.defaults.validated() == .defaults)
        #expect(throws: ValidationFailure.self) { try AgencySettings(mfaRequiredRoles: [], sessionIdleMinutes: 1, sessionMaxHours: 10).validated() }
        #expect(throws: ValidationFailure.self) { try AgencySettings(mfaRequiredRoles: [], sessionIdleMinutes: 600, sessionMaxHours: 2).validated() }
        #expect(throws: ValidationFailure.self) { try AgencySettings(mfaRequiredRoles: [.platformOperator], sessionIdleMinutes: 60, sessionMaxHours: 2).validated() }
        let settings = try AgencySettings(mfaRequiredRoles: [.supervisor, .agencyAdmin, .supervisor], sessionIdleMinutes: 60, sessionMaxHours: 8).validated()
        #expect(settings.mfaRequiredRoles == [.agencyAdmin, .supervisor])
        #expect(settings.requiresMFA(for: [.officer, .supervisor]) && !settings.requiresMFA(for: [.officer]))
    }

    @Test func csvImportReportsEveryBadRow() throws {
        let rows = try UserCSV.parse(Array("email,name,roles\r\nann@m.example,\"Archer, Ann\",officer;supervisor\r\n\"bob@m.example\",\"Bob \"\"B\"\" Barr\",auditor\n".utf8))
        #expect(rows.map(\.email.rawValue) == ["ann@m.example", "bob@m.example"])
        #expect(rows.map(\.name) == ["Archer, Ann", "Bob \"B\" Barr"])
        #expect(rows[0].roles == [.officer, .supervisor])
        do {
            _ = try UserCSV.parse(Array("x@m.example,X,officer\nbad,Y,officer\nx@m.example,Z,officer\nq@m.example,Q,platform_operator\nonly,two\n".utf8))
            Issue.record("expected a failure")
        } catch {
            #expect(error.errors.map(\.row) == [2, 3, 4, 5])
            #expect(error.errors.map(\.field) == ["email", "email", "roles", "row"])
        }
        #expect(throws: UserCSV.Failure.self) { try UserCSV.parse(Array("email,name,roles\n".utf8)) }
    }

    @Test func recoveryCodesAreTenDistinctAndHashPerUser() {
        let codes = RecoveryCodes.generate()
        #expect(codes.count == 10 && Set(codes).count == 10)
        #expect(codes.allSatisfy { $0.count == 12 && RecoveryCodes.looksLikeCode($0) })
        #expect(!RecoveryCodes.looksLikeCode("123456"))
        let (a, b) = (UserID(), UserID())
        #expect(RecoveryCodes.hash(codes[0], user: a) == RecoveryCodes.hash(codes[0].uppercased().replacingOccurrences(of: "-", with: " "), user: a))
        #expect(RecoveryCodes.hash(codes[0], user: a) != RecoveryCodes.hash(codes[0], user: b))
    }
}
