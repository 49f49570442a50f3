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
        let user = try await authenticate(request)
        var request = request
        request.context.principal = .user(user)
        request.context.logger.agency = user.agencyID
        return try await next(request)
    }

    /// The user of the request's token, its agency noted for the request's log
    /// line (`handle` also sets it as the request's principal), or the refusal.
    public nonisolated(nonsending) func authenticate(_ request: HTTPRequest) async throws(HTTPError) -> UserPrincipal {
        if let answered = authenticateNow(request) { return try answered.get() }
        guard let token = BearerToken.from(request.headers["Authorization"]) else { throw BearerToken.challenge(invalid: false) }
        let outcome: Result<UserPrincipal, TokenError>
        do { outcome = .success(try await verifier.verify(String(token))) } catch { outcome = .failure(error) }
        return try accept(outcome, for: request).get()
    }

    /// The same as ``authenticate(_:)`` without waiting, for a responder on the
    /// event loop: `nil` when the signing keys must be fetched first.
    public func authenticateNow(_ request: HTTPRequest) -> Result<UserPrincipal, HTTPError>? {
        guard let token = BearerToken.from(request.headers["Authorization"]) else { return .failure(BearerToken.challenge(invalid: false)) }
        return verifier.verifyNow(token, remembering: request.context.connection).map { accept($0, for: request) }
    }

    /// Notes the user's agency, or turns the refusal into its answer (logged).
    private func accept(_ outcome: Result<UserPrincipal, TokenError>, for request: HTTPRequest) -> Result<UserPrincipal, HTTPError> {
        switch outcome {
        case .success(let user):
            request.context.notes.note { $0.agency = user.agencyID }
            return .success(user)
        case .failure(.keysUnavailable):
            request.context.logger.warning("token signing keys unavailable")
            return .failure(HTTPError.unavailable(retryAfter: 5))
        case .failure(let error):
            request.context.logger.info("access token refused", ["reason": error.description])
            return .failure(BearerToken.challenge(invalid: true))
        }
    }
}
