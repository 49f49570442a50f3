import GatewayService
import MusterCore
import Testing

/// The Gateway's pure rules: routing, path safety, buckets, breakers, client addresses.
@Suite struct DomainTests {
    let table = RouteTable.standard(defaultTimeout: .seconds(30))

    @Test(arguments: [
        ("/api/v1/auth/login", ServiceName.identity), ("/api/v1/users", .identity), ("/api/v1/users/7", .identity),
        ("/api/v1/me", .identity), ("/api/v1/agency/settings", .identity), ("/.well-known/jwks.json", .identity),
        ("/api/v1/records/courses", .records), ("/api/v1/audit/events", .audit), ("/api/v1/notify/templates", .notify),
        ("/api/v1/auth/reauthenticate", .identity), ("/api/v1/policies", .records), ("/api/v1/policies/7/versions/1/acknowledge", .records),
        ("/api/v1/me/policies", .records),
    ])
    func routesByPrefix(_ path: String, _ service: ServiceName) {
        #expect(table.match(path[...])?.service == service)
    }

    @Test(arguments: ["", "/internal/agencies", "/api/v1/usersX", "/api/v1/recordsX", "/api/v2/records/x", "/", "/api/v1/meow"])
    func leavesOtherPathsUnrouted(_ path: String) {
        #expect(table.match(path[...]) == nil)
    }

    @Test func authRoutesArePublicAndLimitedPerAddress() throws {
        let auth = try #require(table.match("/api/v1/auth/login"))
        #expect(!auth.requiresToken && auth.limitedPerAddress)
        let records = try #require(table.match("/api/v1/records/x"))
        #expect(records.requiresToken && !records.limitedPerAddress)
        #expect(records.label == "/api/v1/records/*")
        #expect(try #require(table.match("/.well-known/jwks.json")).requiresToken == false)
    }

    /// Evidence uploads reach Records up to 10 MiB and a little more (so Records answers the 413 of 10 MiB + 1),
    /// imports up to 64 MiB; the other Records paths keep the default, and the .csv exports are not uploads.
    @Test func recordsBodyLimitsFitAttachmentsAndImports() throws {
        for path in ["training-records/7/attachments", "certifications/7/attachments", "expenses/7/attachments", "policies/7/versions"] {
            let limit = try #require(table.match("/api/v1/\(path)"[...])).bodyLimit
            #expect(limit > 10 << 20 && limit <= 12 << 20, "\(path)")
        }
        #expect(try #require(table.match("/api/v1/imports/training-records")).bodyLimit >= 20 << 20)
        #expect(try #require(table.match("/api/v1/imports/personnel")).bodyLimit >= 20 << 20)
        #expect(try #require(table.match("/api/v1/units")).bodyLimit == 1 << 20)
        #expect(try #require(table.match("/api/v1/training-records.csv")).bodyLimit == 1 << 20)
        #expect(try #require(table.match("/api/v1/me/person")).service == .records)
        #expect(try #require(table.match("/api/v1/expenses/summary")).service == .records)
    }

    @Test(arguments: ["/a/../b", "/a/./b", "/a/%2e%2e/b", "/a/%2E./b", "/a%2fb", "/a%5Cb", "/a\\b", "/a//b", "/a/%00", "/..", "/a/%2"])
    func refusesAmbiguousPaths(_ path: String) {
        #expect(PathSafety.problem(in: path[...]) != nil)
    }

    @Test(arguments: ["/", "/api/v1/records/courses", "/api/v1/records/", "/a/b.json", "/a/%20b", "/a/...b", "/a/.well"])
    func acceptsOrdinaryPaths(_ path: String) {
        #expect(PathSafety.problem(in: path[...]) == nil)
    }

    @Test func tokenBucketAllowsBurstThenRefills() throws {
        let limit = try #require(RateLimit(parsing: "60/60s:3"))
        var bucket = TokenBucket(rate: limit, now: 100)
        for _ in 0..<3 {
            let decision = bucket.take(now: 100)
            #expect(decision.allowed)
        }
        let refused = bucket.take(now: 100)
        #expect(!refused.allowed && refused.retryAfter == 1 && refused.remaining == 0)
        let refilled = bucket.take(now: 101.01)
        #expect(refilled.allowed)
        #expect(!bucket.isIdle(now: 102) && bucket.isIdle(now: 104))
        #expect(RateLimit(parsing: "60/60s") == nil && RateLimit(parsing: "0/60s:1") == nil)
    }

    @Test func breakerOpensAfterFailuresAndTriesOnceWhenHalfOpen() {
        var breaker = CircuitBreaker(failureThreshold: 3, openSeconds: 10)
        for _ in 0..<2 { breaker.record(success: false, now: 0) }
        let closed = breaker.admit(now: 0)
        #expect(closed)
        breaker.record(success: false, now: 0)
        let open = breaker.admit(now: 5)
        #expect(!open && breaker.state(at: 5) == .open)
        let trial = breaker.admit(now: 10), second = breaker.admit(now: 10)
        #expect(trial && !second, "one trial at a time")
        breaker.record(success: false, now: 10)
        #expect(breaker.state(at: 11) == .open)
        let retrial = breaker.admit(now: 21)
        #expect(retrial)
        breaker.record(success: true, now: 21)
        #expect(breaker.state(at: 21) == .closed && breaker.consecutiveFailures == 0)
    }

    @Test func clientAddressIgnoresForwardedForFromUntrustedPeers() throws {
        let trusted = try AddressRanges(parsing: ["10.0.0.0/8", "fd00::/8"])
        #expect(ClientAddress.resolve(peer: "198.51.100.7", forwardedFor: "203.0.113.9", trusted: trusted) == "198.51.100.7")
        #expect(ClientAddress.resolve(peer: "10.1.2.3", forwardedFor: "203.0.113.9, 10.9.9.9", trusted: trusted) == "203.0.113.9")
        #expect(ClientAddress.resolve(peer: "10.1.2.3", forwardedFor: "garbage", trusted: trusted) == "10.1.2.3")
        #expect(ClientAddress.resolve(peer: "fd00::1", forwardedFor: "2001:db8::5", trusted: trusted) == "2001:db8::5")
        #expect(ClientAddress.resolve(peer: "10.1.2.3", forwardedFor: "203.0.113.9", trusted: try AddressRanges(parsing: [])) == "10.1.2.3")
        #expect(throws: AddressRangeError.self) { try AddressRanges(parsing: ["10.0.0.0/33"]) }
    }
}
