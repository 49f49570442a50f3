import Foundation
import MusterContracts
import MusterCore
import NotifyService
import Testing

@Suite struct DeliveryRulesTests {
    @Test func theFirstRetryComesWithinAMinuteThenBacksOff() {
        let schedule = RetrySchedule()
        for _ in 0..<100 {
            let first = schedule.delay(afterFailedAttempts: 1)
            #expect(first >= .seconds(15) && first <= .seconds(30))
        }
        #expect(schedule.delay(afterFailedAttempts: 1, jitter: 1) == .seconds(30))
        #expect(schedule.delay(afterFailedAttempts: 2, jitter: 1) == .seconds(60))
        #expect(schedule.delay(afterFailedAttempts: 5, jitter: 0.5) == .seconds(240))
        #expect(schedule.delay(afterFailedAttempts: 40, jitter: 1) == .seconds(3600))
    }

    @Test func retriesStopAtTheEndOfTheWindow() {
        let schedule = RetrySchedule()
        let accepted = Date(timeIntervalSince1970: 1_000_000)
        let early = schedule.nextAttempt(afterFailedAttempts: 1, acceptedAt: accepted, now: accepted, jitter: 1)
        #expect(early == accepted.addingTimeInterval(30))
        let late = accepted.addingTimeInterval(24 * 3600 - 60)
        #expect(schedule.nextAttempt(afterFailedAttempts: 20, acceptedAt: accepted, now: late, jitter: 1)
            == accepted.addingTimeInterval(24 * 3600))
        #expect(schedule.nextAttempt(afterFailedAttempts: 21, acceptedAt: accepted,
                                     now: accepted.addingTimeInterval(24 * 3600), jitter: 1) == nil)
    }

    @Test func onlyAnEnvelopeOrContentRefusalIsPermanent() {
        #expect(DeliveryOutcome.failure(code: 550, command: "RCPT", reply: "550 no such user")
            == .permanentFailure(code: 550, reply: "550 no such user"))
        #expect(DeliveryOutcome.failure(code: 554, command: "DATA", reply: "554").attemptOutcome == .permanentFailure)
        #expect(DeliveryOutcome.failure(code: 451, command: "DATA", reply: "451").attemptOutcome == .temporaryFailure)
        #expect(DeliveryOutcome.failure(code: 421, command: "MAIL", reply: "421").attemptOutcome == .temporaryFailure)
        // Notify's own credentials or TLS setup: an operator fixes it, the message waits.
        #expect(DeliveryOutcome.failure(code: 535, command: "AUTH", reply: "535").attemptOutcome == .temporaryFailure)
        #expect(DeliveryOutcome.failure(code: nil, command: nil, reply: "connection refused").attemptOutcome == .temporaryFailure)
    }

    @Test func requestsAreCheckedBeforeTheyQueue() {
        func request(_ template: String, _ address: String = "a@b.example", data: [String: String] = [:]) -> EmailRequest {
            EmailRequest(agencyID: AgencyID(), template: template, recipient: EmailRecipient(address: address), data: data)
        }
        #expect(MessageCheck.problem(with: request("password_changed")) == nil)
        #expect(MessageCheck.problem(with: request("password_reset", data: ["token": "t"])) == nil)
        #expect(MessageCheck.problem(with: request("password_reset")) == "missing data: token")
        #expect(MessageCheck.problem(with: request("birthday")) == "unknown template 'birthday'")
        #expect(MessageCheck.problem(with: request("mfa_enabled", "a@b.example\r\nBcc: c@d.example"))
            == "the recipient address is not valid")
        #expect(MessageCheck.problem(with: request("renewal_reminder", data: ["certification_name": "CPR"]))
            == "missing data: expires_on")
        #expect(MessageCheck.problem(with: request("mfa_enabled", data: ["x": String(repeating: "y", count: 5000)])) != nil)
    }
}
