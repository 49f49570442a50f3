import MusterCore
import MusterHTTP

/// Requires a valid user access token in `Authorization: Bearer …` and sets
/// `request.context.principal` to `.user(…)`.
///
/// No or a refused token: `401` with `WWW-Authenticate: Bearer`. Keys that
/// cannot be fetched: `503`, since the token may well be good.
///
/// ```swift
/// router.group("/api/v1", middleware: [UserAuthMiddleware(verifier: tokenVerifier)]) { api in … }
/// ```
public struct UserAuthMiddleware: Middleware {
    public let verifier: TokenVerifier

    public init(verifier: TokenVerifier) { self.verifier = verifier }

    public nonisolated(nonsending) func handle(_ request: HTTPRequest, next: Handler) async throws -> HTTPResponse {
        guard let token = BearerToken.from(request.headers["Authorization"]) else { throw BearerToken.challenge(invalid: false) }
        let user: UserPrincipal
        do {
            user = try await verifier.verify(String(token))
        } catch .keysUnavailable {
            request.context.logger.warning("token signing keys unavailable")
            throw HTTPError.unavailable(retryAfter: 5)
        } catch {
            request.context.logger.info("access token refused", ["reason": error.description])
            throw BearerToken.challenge(invalid: true)
        }
        var request = request
        request.context.principal = .user(user)
        request.context.logger.agency = user.agencyID
        request.context.notes.note { $0.agency = user.agencyID }
        return try await next(request)
    }
}
