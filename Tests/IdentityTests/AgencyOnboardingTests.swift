import Foundation
import MusterTestSupport
import Testing

extension IdentityIntegrationTests {
    /// The first path every other team relies on: an operator creates an agency, its
    /// admin accepts the invitation, signs in and invites a user — against a real
    /// Identity process, with and without the services it provisions.
    @Suite(.serialized) struct AgencyOnboardingTests {
        @Test func agencyWithoutPeersStaysProvisioningButItsAdminCanWork() async throws {
            let platform = try await Platform.start([.identity])
            defer { platform.stop() }
            let agency = try await platform.createAgency()
            let ops = try await platform.bootstrapOperator()
            let status = try Curl.request("GET", platform.url(.identity) + "/api/v1/platform/agencies/\(agency.id)", headers: ops.authorization)
            #expect(status.json?["status"] as? String == "provisioning")

            let officer = try await platform.createUser(in: agency, roles: [.officer, .supervisor])
            let me = try Curl.request("GET", platform.url(.identity) + "/api/v1/me", headers: officer.session.authorization)
            #expect(me.status == 200)
            #expect(me.json?["email"] as? String == officer.email)
            #expect(me.json?["roles"] as? [String] == ["officer", "supervisor"])
            #expect((me.json?["agency"] as? [String: Any])?["slug"] as? String == agency.slug)
            #expect((me.json?["mfa"] as? [String: Any])?["enabled"] as? Bool == false)

            let forbidden = try Curl.request("GET", platform.url(.identity) + "/api/v1/users", headers: officer.session.authorization)
            #expect(forbidden.status == 403, "an officer cannot list users")
            let operatorList = try Curl.request("GET", platform.url(.identity) + "/api/v1/users", headers: ops.authorization)
            #expect(operatorList.status == 403, "an operator cannot read users without a support grant")

            // Audit asks for the admins' addresses (weekly checkpoint mail); nobody else may.
            let path = platform.url(.identity) + "/internal/agencies/\(agency.id)/admins"
            let audit = try platform.serviceCredential(as: .audit, for: .identity)
            let admins = try Curl.request("GET", path, headers: ["Authorization": "Bearer \(audit)"])
            #expect(admins.status == 200)
            let listed = (admins.json?["admins"] as? [[String: Any]])?.compactMap { $0["address"] as? String }
            #expect(listed == [agency.admin.email], "the one admin, not the officer")
            let records = try platform.serviceCredential(as: .records, for: .identity)
            #expect(try Curl.request("GET", path, headers: ["Authorization": "Bearer \(records)"]).status == 403)
            #expect(try Curl.request("GET", path).status == 401)
            let unknown = platform.url(.identity) + "/internal/agencies/\(UUID().uuidString.lowercased())/admins"
            #expect(try Curl.request("GET", unknown, headers: ["Authorization": "Bearer \(audit)"]).status == 404)
        }

        @Test func provisioningReachesEveryServiceAndTokensVerifyWithPyJWT() async throws {
            let platform = try await Platform.start([.identity, .records, .audit, .notify, .gateway])
            defer { platform.stop() }
            let agency = try await platform.createAgency(waitUntilActive: true)
            let schema = "agency_" + agency.id.replacingOccurrences(of: "-", with: "")
            for service in [Platform.Service.records, .audit, .notify, .identity] {
                let exists = try Command.psql("SELECT count(*) FROM pg_namespace WHERE nspname = '\(schema)'", database: platform.databaseName(service))
                #expect(exists == "1", "\(service) has the agency's schema")
            }
            let jwks = try Curl.request("GET", platform.url(.gateway) + "/.well-known/jwks.json")
            #expect(jwks.status == 200)
            let claims = try Oracle.python("""
                import json, sys, jwt
                keys = json.loads(sys.argv[1])["keys"]
                header = jwt.get_unverified_header(sys.argv[2])
                key = jwt.algorithms.OKPAlgorithm.from_jwk(json.dumps(next(k for k in keys if k["kid"] == header["kid"])))
                claims = jwt.decode(sys.argv[2], key, algorithms=["EdDSA"], audience="muster-api", issuer="muster-identity")
                print(json.dumps({"typ": header["typ"], "tid": claims["tid"], "roles": claims["roles"], "ttl": claims["exp"] - claims["iat"]}))
                """, jwks.body, agency.adminToken)
            let decoded = try JSONSerialization.jsonObject(with: Data(claims.utf8)) as? [String: Any]
            #expect(decoded?["typ"] as? String == "at+jwt")
            #expect(decoded?["tid"] as? String == agency.id)
            #expect(decoded?["roles"] as? [String] == ["agency_admin"])
            #expect(decoded?["ttl"] as? Int == 900)
        }
    }
}
