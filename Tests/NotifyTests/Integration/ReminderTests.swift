import Foundation
import MusterCore
import MusterTestSupport
import MusterTime
import NotifyService
import Testing

/// Renewal reminders end to end: certifications in Records, sweeps by `notify
/// sweep-reminders`, emails read back from a real SMTP server. Each case uses its own
/// people and due dates years apart, so that one case's sweeps never reach another's items.
@Suite(.serialized) struct ReminderTests {
    static let standard = [90, 60, 30, 14, 7, 1, 0, -7, -30]

    @Test func dailySweepsSendEachThresholdOnceWithTheDueDateAndTheDigestOncePerWeek() async throws {
        try await SMTPServer.with { smtp in
            let world = try await ReminderWorld.start(smtp: smtp)
            defer { world.stop() }
            let coordinator = try await world.platform.createUser(in: world.agency, roles: [.coordinator], name: "Casey Coordinator")
            let due = CalendarDate("2030-06-30")!
            let type = try world.certificationType("Firearms qualification")
            let person = try world.person("Sam Rivera", email: "sam@metro.example")
            try world.certify(person, type: type, issued: CalendarDate("2028-06-30")!, expires: due)

            let days = (-100...40).map { due.addingDays($0) }
            for day in days { try world.sweep(day) }
            try world.sweep(due)   // the same day again: nothing new

            #expect(try world.thresholds(person: person) == Self.standard)
            let sentOn = try world.notify("SELECT string_agg(swept_on::text, ',' ORDER BY swept_on) FROM \(world.schema).reminders")
            #expect(sentOn == Self.standard.map { due.addingDays(-$0).description }.joined(separator: ","))

            let mail = try await world.mail(to: "sam@metro.example")
            #expect(mail.count == Self.standard.count, "each threshold once: \(mail.map(\.subject))")
            #expect(Set(mail.map(\.messageID)).count == mail.count)
            for message in mail {
                #expect(message.text?.contains("Sunday, June 30, 2030") == true, "\(message.text ?? "")")
                #expect(message.text?.contains("Firearms qualification") == true)
                #expect(message.html?.contains("https://muster.example/people/\(person)") == true)
                #expect(message.fromName == "Agency \(world.agency.slug)")
            }
            #expect(Set(mail.map(\.subject)) == Set(["in 90 days", "in 60 days", "in 30 days", "in 14 days", "in 7 days", "tomorrow", "today",
                                                     "7 days ago", "30 days ago"].map { "Firearms qualification is due \($0)" }))

            // The digest: one per week in which something was due within 30 days or overdue.
            let weeks = Set((-30...40).map { Weekday.monday.latest(onOrBefore: due.addingDays($0)) })
            let digests = try await world.mail(to: coordinator.email).filter { $0.subject.contains("due within 30 days") }
            #expect(digests.count == weeks.count)
            #expect(digests.allSatisfy { $0.text?.contains("Sam Rivera: Firearms qualification, due Sunday, June 30, 2030") == true })

            // GET /api/v1/reminders: what was sent, with its delivery status.
            let listed = try Curl.request("GET", world.platform.url(.notify) + "/api/v1/reminders?person_id=\(person)&from=2030-01-01&to=2030-12-31",
                                          headers: world.agency.admin.session.authorization)
            let items = listed.json?["items"] as? [[String: Any]] ?? []
            #expect(listed.status == 200)
            #expect(items.compactMap { $0["threshold"] as? Int } == Array(Self.standard.reversed()))
            #expect(items.allSatisfy { $0["status"] as? String == "sent" })
            let coordinatorView = try Curl.request("GET", world.platform.url(.notify) + "/api/v1/reminders?from=2030-01-01&to=2030-12-31",
                                               headers: coordinator.session.authorization)
            #expect((coordinatorView.json?["items"] as? [Any])?.count == Self.standard.count)
            let bad = try Curl.request("GET", world.platform.url(.notify) + "/api/v1/reminders?from=June", headers: coordinator.session.authorization)
            #expect(bad.status == 400)
        }
    }

    @Test func gapsRenewalsSupervisorsMutingAndConcurrentSweeps() async throws {
        try await SMTPServer.with { smtp in
            let world = try await ReminderWorld.start(smtp: smtp)
            defer { world.stop() }
            let type = try world.certificationType("Taser certification")

            // A gap: sweeps only on X−85 and X−6 send the 90 and the 7, nothing else.
            let gapDue = CalendarDate("2032-06-30")!
            let gap = try world.person("Gale Gap", email: "gap@metro.example")
            try world.certify(gap, type: type, issued: CalendarDate("2030-06-30")!, expires: gapDue)
            try world.sweep(gapDue.addingDays(-85))
            try world.sweep(gapDue.addingDays(-6))
            #expect(try world.thresholds(person: gap) == [90, 7])

            // A renewal on X−20: nothing more for X; the thresholds start again for the new date.
            let oldDue = CalendarDate("2034-06-30")!, newDue = CalendarDate("2035-06-30")!
            let renewing = try world.person("Rene Newal", email: "renew@metro.example")
            let first = try world.certify(renewing, type: type, issued: CalendarDate("2032-06-30")!, expires: oldDue)
            for offset in [-90, -60, -30] { try world.sweep(oldDue.addingDays(offset)) }
            try world.certify(renewing, type: type, issued: oldDue.addingDays(-20), expires: newDue, renews: first)
            for offset in [-14, -7, 0, 7, 30] { try world.sweep(oldDue.addingDays(offset)) }
            try world.sweep(newDue.addingDays(-90))
            #expect(try world.thresholds(person: renewing) == [90, 60, 30, 90])
            #expect(try world.notify("SELECT string_agg(DISTINCT due_on::text, ',') FROM \(world.schema).reminders WHERE person_id = '\(renewing)'")
                == "\(oldDue),\(newDue)")

            // Supervisors and muting: the officer (no address of their own: their login's) muted one certification.
            let officer = try await world.platform.createUser(in: world.agency, roles: [.officer], name: "Olive Officer")
            let supervisor = try await world.platform.createUser(in: world.agency, roles: [.supervisor], name: "Sue Pervisor")
            let unit = try world.unit(supervisedBy: supervisor.id)
            let supervised = try world.person("Olive Officer", email: nil, user: officer.id, unit: unit)
            let muted = try world.certificationType("Radar operator")
            let supervisedDue = CalendarDate("2036-06-30")!
            try world.certify(supervised, type: type, issued: CalendarDate("2034-06-30")!, expires: supervisedDue)
            try world.certify(supervised, type: muted, issued: CalendarDate("2034-06-30")!, expires: supervisedDue)
            let preferences = world.platform.url(.notify) + "/api/v1/me/reminder-preferences"
            let put = try Curl.request("PUT", preferences, headers: officer.session.authorization.merging(["Content-Type": "application/json"]) { $1 },
                                       body: #"{"muted_requirement_ids":["\#(muted)"]}"#)
            #expect(put.status == 200, "\(put.body)")
            #expect(try Curl.request("GET", preferences, headers: officer.session.authorization).json?["muted_requirement_ids"] as? [String] == [muted])
            let malformed = try Curl.request("PUT", preferences, headers: officer.session.authorization.merging(["Content-Type": "application/json"]) { $1 },
                                             body: #"{"muted_requirement_ids":["nope"]}"#)
            #expect(malformed.status == 400 || malformed.status == 422)
            for offset in [-60, -30, 7] { try world.sweep(supervisedDue.addingDays(offset)) }
            let toOfficer = try await world.mail(to: officer.email).filter { $0.subject.contains(" is due ") }
            #expect(toOfficer.map(\.subject).sorted() == ["Taser certification is due 7 days ago", "Taser certification is due in 30 days",
                                                          "Taser certification is due in 60 days"])
            let toSupervisor = try await world.mail(to: supervisor.email).filter { $0.subject.hasPrefix("Olive Officer:") }
            #expect(toSupervisor.map(\.subject).sorted() == [
                "Olive Officer: Radar operator is due 7 days ago", "Olive Officer: Radar operator is due in 30 days",
                "Olive Officer: Taser certification is due 7 days ago", "Olive Officer: Taser certification is due in 30 days",
            ])
            #expect(toSupervisor.allSatisfy { $0.to.contains(officer.email) == false })

            // Two sweeps of the same days at once: each email once.
            let racedDue = CalendarDate("2038-06-30")!
            let raced = try world.person("Rae Ced", email: "raced@metro.example")
            try world.certify(raced, type: type, issued: CalendarDate("2036-06-30")!, expires: racedDue)
            for offset in Self.standard.map({ -$0 }) {
                let pair = try [world.startSweep(racedDue.addingDays(offset)), world.startSweep(racedDue.addingDays(offset))]
                for process in pair { process.waitUntilExit() }
                #expect(pair.allSatisfy { $0.terminationStatus == 0 })
            }
            let racedMail = try await world.mail(to: "raced@metro.example")
            #expect(racedMail.count == Self.standard.count)
            #expect(try world.thresholds(person: raced) == Self.standard)

            // A certification a mandatory requirement names: one reminder, the requirement's, whatever the officer muted.
            let required = try world.certificationType("Patrol rifle")
            let requirement = try world.certificationRequirement("Patrol rifle qualification", type: required, mandatory: true)
            let requiredDue = CalendarDate("2040-06-30")!
            try world.certify(supervised, type: required, issued: CalendarDate("2038-06-30")!, expires: requiredDue)
            let muteBoth = try Curl.request("PUT", preferences, headers: officer.session.authorization.merging(["Content-Type": "application/json"]) { $1 },
                                            body: #"{"muted_requirement_ids":["\#(muted)","\#(requirement)"]}"#)
            #expect(muteBoth.status == 200)
            try world.sweep(requiredDue.addingDays(-30))
            #expect(try world.notify("""
                SELECT string_agg(item_kind || ':' || item_name || ':' || recipient_kind, ',' ORDER BY recipient_kind)
                FROM \(world.schema).reminders WHERE due_on = '\(requiredDue)'
                """) == "requirement:Patrol rifle qualification:officer,requirement:Patrol rifle qualification:supervisor")

            // A dry run prints what it would send and writes nothing.
            let before = try world.notify("SELECT count(*) FROM \(world.schema).reminders")
            let fresh = try world.person("Dry Run", email: "dry@metro.example")
            try world.certify(fresh, type: type, issued: CalendarDate("2036-06-30")!, expires: racedDue.addingDays(1))
            let planned = try world.sweep(racedDue, dryRun: true).stdout.split(separator: "\n").filter { $0.contains(#""threshold""#) }
            #expect(planned.count == 1 && planned[0].contains(#""threshold":1"#) && planned[0].contains(#""person_id":"\#(fresh)""#), "\(planned)")
            #expect(try world.notify("SELECT count(*) FROM \(world.schema).reminders") == before)
        }
    }

    @Test func theSchedulerSweepsEachAgencyAtItsLocalHour() async throws {
        try await SMTPServer.with { smtp in
            let world = try await ReminderWorld.start(smtp: smtp, tickMS: 200)
            defer { world.stop() }
            let zone = try #require(AgencyTimeZone("Pacific/Auckland"))
            let now = Date()
            let today = zone.today(now: now)
            // The agency's send hour is the hour now in Auckland: its sweep of today is due.
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = try #require(TimeZone(identifier: "Pacific/Auckland"))
            let hour = calendar.component(.hour, from: now)
            _ = try world.records("""
                INSERT INTO \(world.schema).agency_settings (key, value) VALUES ('time_zone', '"Pacific/Auckland"')
                ON CONFLICT (key) DO UPDATE SET value = excluded.value
                """)
            _ = try world.notify("""
                INSERT INTO \(world.schema).agency_settings (key, value) VALUES ('reminder_hour', '\(hour)')
                ON CONFLICT (key) DO UPDATE SET value = excluded.value
                """)
            let type = try world.certificationType("First aid")
            let person = try world.person("Ari Tane", email: "ari@metro.example")
            try world.certify(person, type: type, issued: today.addingDays(-700), expires: today.addingDays(30))
            try await Task.sleep(for: .seconds(1))
            _ = try world.notify("""
                UPDATE platform.reminder_sweeps SET next_at = now(), last_swept_on = NULL, claimed_by = NULL, claimed_until = NULL
                """)
            let swept = try await NotifyPlatform(platform: world.platform).wait(for: {
                try world.notify("SELECT coalesce(last_swept_on::text, '') || ' ' || time_zone FROM platform.reminder_sweeps")
            }, until: { $0 == "\(today) Pacific/Auckland" })
            #expect(swept == "\(today) Pacific/Auckland")
            #expect(try world.thresholds(person: person) == [30])
            let next = try world.notify("SELECT extract(epoch FROM next_at)::bigint FROM platform.reminder_sweeps")
            #expect(Int64(next) == Int64(SweepSchedule.nextRun(after: today, zone: zone, hour: hour).timeIntervalSince1970))
            let mail = try await world.mail(to: "ari@metro.example")
            #expect(mail.map(\.subject) == ["First aid is due in 30 days"])
            #expect(mail.first?.text?.contains("Pacific/Auckland") == true)
        }
    }

    @Test func aSweepKilledMidAgencyAndRunAgainQueuesEveryReminderOnce() async throws {
        try await SMTPServer.with { smtp in
            let world = try await ReminderWorld.start(smtp: smtp)
            defer { world.stop() }
            let type = try world.certificationType("Baton certification")
            let due = CalendarDate("2042-06-30")!
            let people = 3000
            _ = try world.records("""
                WITH p AS (
                    INSERT INTO \(world.schema).personnel (id, badge_number, first_name, last_name, email, hire_date)
                    SELECT gen_random_uuid(), 'k' || n, 'Kay', 'Number' || n, 'k' || n || '@metro.example', '2010-01-01'
                    FROM generate_series(1, \(people)) AS n RETURNING id
                )
                INSERT INTO \(world.schema).certifications (id, person_id, type_id, issued_on, expires_on, created_by, updated_by)
                SELECT gen_random_uuid(), id, '\(type)', '2040-06-30', '\(due)', '\(world.agency.admin.id)', '\(world.agency.admin.id)' FROM p
                """)
            let count = { Int(try world.notify("SELECT count(*) FROM \(world.schema).reminders")) ?? -1 }
            let sweep = try world.startSweep(due.addingDays(-30))
            var seen = 0
            while sweep.isRunning, seen == 0 {
                seen = try count()
                if seen == 0 { try await Task.sleep(for: .milliseconds(20)) }
            }
            kill(sweep.processIdentifier, SIGKILL)
            sweep.waitUntilExit()
            let afterKill = try count()
            // Whole pages or nothing: a page is one transaction of 200 people.
            #expect(afterKill % 200 == 0 || afterKill == people, "\(afterKill)")
            #expect(afterKill < people, "the kill came mid-agency (15 pages), after the first page: \(afterKill)")
            try world.sweep(due.addingDays(-30))
            try world.sweep(due.addingDays(-30))
            #expect(try count() == people)
            #expect(try world.notify("""
                SELECT count(DISTINCT r.person_id) || ' ' || count(m.id) FROM \(world.schema).reminders r
                JOIN \(world.schema).messages m ON m.id = r.message_id
                """) == "\(people) \(people)")
            #expect(try world.notify("SELECT count(*) FROM \(world.schema).messages WHERE template = 'reminder'") == "\(people)")
        }
    }
}
