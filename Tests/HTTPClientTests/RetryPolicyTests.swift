import MusterHTTP
@testable import MusterHTTPClient
import Testing

@Suite struct RetryPolicyTests {
    private let policy = RetryPolicy(maxAttempts: 4, initialBackoff: .milliseconds(100), maxBackoff: .milliseconds(300))
    private let lost = HTTPClientError(.connectionLost, mayHaveReachedServer: true, message: "reset")

    @Test func backoffGrowsWithJitterUpToTheCap() {
        for _ in 0..<50 {
            let second = policy.delay(beforeAttempt: 2, after: .failure(lost))!
            let third = policy.delay(beforeAttempt: 3, after: .failure(lost))!
            let fourth = policy.delay(beforeAttempt: 4, after: .failure(lost))!
            #expect(second >= .milliseconds(50) && second <= .milliseconds(100))
            #expect(third >= .milliseconds(100) && third <= .milliseconds(200))
            #expect(fourth >= .milliseconds(150) && fourth <= .milliseconds(300))
        }
        #expect(policy.delay(beforeAttempt: 5, after: .failure(lost)) == nil)
        #expect(RetryPolicy.never.delay(beforeAttempt: 2, after: .failure(lost)) == nil)
    }

    @Test func onlyConnectionFailuresAndGatewayStatusesAreRetried() {
        for kind in [HTTPClientError.Kind.timedOut, .tooLarge, .invalidRequest, .shutdown] {
            let error = HTTPClientError(kind, mayHaveReachedServer: true, message: "")
            #expect(policy.delay(beforeAttempt: 2, after: .failure(error)) == nil)
        }
        #expect(policy.delay(beforeAttempt: 2, after: .failure(HTTPClientError(.connectionFailed, mayHaveReachedServer: false, message: ""))) != nil)
        for code in [502, 503, 504] { #expect(policy.delay(beforeAttempt: 2, after: .status(HTTPStatus(code), retryAfter: nil)) != nil) }
        for code in [200, 404, 429, 500] { #expect(policy.delay(beforeAttempt: 2, after: .status(HTTPStatus(code), retryAfter: nil)) == nil) }
    }

    @Test func retryAfterIsHonouredWithinTheCapAndEndsRetriesBeyondIt() {
        let patient = RetryPolicy(maxAttempts: 3, initialBackoff: .milliseconds(10), maxBackoff: .seconds(2))
        #expect(patient.delay(beforeAttempt: 2, after: .status(.serviceUnavailable, retryAfter: "1")) == .seconds(1))
        #expect(patient.delay(beforeAttempt: 2, after: .status(.serviceUnavailable, retryAfter: "5")) == nil)
    }

    @Test func loggedURLsCarryNoQueryOrUserInfo() {
        #expect(HTTPClient.redacted("http://user:pw@127.0.0.1:8083/internal/events?token=s#frag") == "http://127.0.0.1:8083/internal/events")
        #expect(HTTPClient.redacted("http://host/a@b") == "http://host/a@b")
    }
}
