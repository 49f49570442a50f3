import Foundation
import MusterContracts
import MusterCore
import MusterDatabase
import MusterHTTP
import MusterService
import MusterTime

/// `/api/v1/auth/*` for signing in: login, the MFA step, refresh, re-authentication, logout.
struct AuthRoutes {
    let services: IdentityRuntime

    struct MFAStep: Decodable {
        let mfaToken: String
        let code: String
    }

    struct Refresh: Decodable {
        let refreshToken: String
    }

    static let bodyLimit = 16 << 10

    func register(public api: RouteGroup, authenticated: RouteGroup) {
        let login = LoginFlow(services: services)
        api.post("/auth/login", bodyLimit: Self.bodyLimit) { request in try await login.login(request) }
        api.post("/auth/mfa", bodyLimit: Self.bodyLimit) { request in try await mfa(request) }
        api.post("/auth/refresh", bodyLimit: Self.bodyLimit) { request in try await refresh(request) }
        let reauthentication = ReauthenticationFlow(services: services)
        authenticated.post("/auth/reauthenticate", bodyLimit: Self.bodyLimit) { request in try await reauthentication.reauthenticate(request) }
        authenticated.post("/auth/logout", bodyLimit: Self.bodyLimit) { request in try await logout(request) }
    }

    private static var invalidToken: HTTPError {
        HTTPError.unauthorized("The token is invalid or expired.", code: "invalid_token")
    }

    private func activeAgency(_ id: AgencyID) async throws -> AgencyRecord {
        guard let agency = try await services.registry.find(id: id), agency.acceptsSignIn else { throw Self.invalidToken }
        return agency
    }

    private enum StepOutcome {
        case invalidToken
        case invalidCode
        case session(UserRecord, SessionID, OpaqueToken, amr: [String], scope: String?, authTime: Int)
    }

    private func mfa(_ request: HTTPRequest) async throws -> HTTPResponse {
        let body = try request.decode(MFAStep.self)
        guard let token = OpaqueToken(parsing: body.mfaToken, kind: .mfa) else { throw Self.invalidToken }
        let agency = try await activeAgency(token.agency)
        let dataKey = try services.registry.dataKey(of: agency)
        let audit = AuditTrail(request: request, agency: agency)
        let outcome = try await services.db.withAgency(agency.id) { tx -> StepOutcome in
            guard let userID = try await UserTokenStore.tryMFA(token, in: tx),
                  let user = try await UserStore.find(userID, in: tx), user.status == .active else { return .invalidToken }
            let actor = AuditActor.user(user.id, roles: user.roleSet)
            let factor = try await SecondFactor.check(body.code, user: user.id, dataKey: dataKey, in: tx)
            guard factor != .invalid else {
                try await audit.record("auth.mfa.failed", actor: actor, target: .user(user.id), outcome: .failure, in: tx)
                return .invalidCode
            }
            try await UserTokenStore.markUsed(token, in: tx)
            if factor == .recoveryCode {
                try await audit.record("auth.mfa.recovery_code_used", actor: actor, target: .user(user.id), in: tx)
            }
            let settings = try await tx.setting(AgencySettingKeys.policy)
            let (session, refresh) = try await SessionStore.create(user: user.id, agency: agency.id, amr: ["pwd", "otp"], scope: nil,
                                                                   settings: settings, client: .init(request), in: tx)
            try await audit.record("auth.login.succeeded", actor: actor, target: .session(session),
                                   reason: factor == .totp ? "totp" : "recovery_code", in: tx)
            return .session(user, session, refresh, amr: ["pwd", "otp"], scope: nil, authTime: Timestamp.nowSeconds)
        }
        switch outcome {
        case .invalidToken: throw Self.invalidToken
        case .invalidCode: throw HTTPError.unauthorized("The code is not right.", code: "invalid_code")
        case .session(let user, let session, let refresh, let amr, let scope, let authTime):
            return try await services.tokenResponse(to: request, user: user, agency: agency, session: session, refresh: refresh, amr: amr,
                                                    scope: scope, authTime: authTime)
        }
    }

    private func refresh(_ request: HTTPRequest) async throws -> HTTPResponse {
        // The web app sends no body: its token is the cookie, from the platform's own origin only.
        let text: String
        if request.body.isEmpty, let cookie = RefreshCookie.token(in: request) {
            try RefreshCookie.checkOrigin(of: request, publicURL: services.context.configuration.publicURL)
            text = cookie
        } else {
            text = try request.decode(Refresh.self).refreshToken
        }
        guard let token = OpaqueToken(parsing: text, kind: .refresh) else { throw Self.invalidToken }
        let agency = try await activeAgency(token.agency)
        let audit = AuditTrail(request: request, agency: agency)
        let outcome = try await services.db.withAgency(agency.id) { tx -> StepOutcome in
            switch try await SessionStore.rotate(token, settings: try await tx.setting(AgencySettingKeys.policy), in: tx) {
            case .invalid:
                return .invalidToken
            case .reused(let session, let user):
                try await audit.record("auth.session.revoked", actor: .user(user, roles: []), target: .session(session),
                                       outcome: .denied, reason: "refresh_token_reuse", in: tx)
                return .invalidToken
            case .rotated(let session, let next):
                guard let user = try await UserStore.find(session.userID, in: tx), user.status == .active else { return .invalidToken }
                // A refresh proves no credential: the token keeps the session's last authentication.
                return .session(user, session.id, next, amr: session.amr, scope: session.scope,
                                authTime: Int(session.authenticatedAt.timeIntervalSince1970))
            }
        }
        guard case .session(let user, let session, let next, let amr, let scope, let authTime) = outcome else { throw Self.invalidToken }
        return try await services.tokenResponse(to: request, user: user, agency: agency, session: session, refresh: next, amr: amr,
                                                scope: scope, authTime: authTime)
    }

    private func logout(_ request: HTTPRequest) async throws -> HTTPResponse {
        let user = try request.context.requireUser()
        let agency = try await services.agency(of: user)
        try await services.db.withAgency(agency.id) { tx in
            if try await SessionStore.revoke(user.sessionID, user: user.userID, reason: "logout", agency: agency.id, in: tx) {
                try await AuditTrail(request: request, agency: agency).record(
                    "auth.session.revoked", actor: .principal(user), target: .session(user.sessionID), reason: "logout", in: tx)
            }
        }
        services.verifier.invalidate(session: user.sessionID)
        var response = HTTPResponse(status: .noContent)
        response.headers.add("Set-Cookie", RefreshCookie.clearing)
        return response
    }
}
