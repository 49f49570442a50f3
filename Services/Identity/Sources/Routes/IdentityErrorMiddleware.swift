import MusterCore
import MusterHTTP

/// Turns Identity's domain errors into the uniform HTTP answers: a broken rule is
/// `422` naming the field; a full password-hashing queue is `503` with `Retry-After`.
struct IdentityErrorMiddleware: Middleware {
    nonisolated(nonsending) func handle(_ request: HTTPRequest, next: Handler) async throws -> HTTPResponse {
        do {
            return try await next(request)
        } catch let failure as ValidationFailure {
            throw HTTPError.unprocessable("\(failure.field): \(failure.message)")
        } catch is BlockingPool.Overloaded {
            request.context.logger.warning("password hashing queue full")
            throw HTTPError.unavailable(retryAfter: 2, message: "Too many sign-ins at once; try again shortly.")
        }
    }
}
