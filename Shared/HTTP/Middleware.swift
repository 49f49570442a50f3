/// Code that runs around a handler: authentication, logging, metrics, headers.
///
/// ```swift
/// struct ServerHeader: Middleware {
///     func handle(_ request: HTTPRequest, next: Handler) async throws -> HTTPResponse {
///         var response = try await next(request)
///         response.headers["Server"] = "muster"
///         return response
///     }
/// }
/// ```
public protocol Middleware: Sendable {
    nonisolated(nonsending) func handle(_ request: HTTPRequest, next: Handler) async throws -> HTTPResponse
}

extension Array where Element == any Middleware {
    /// Wraps `handler` so that the first middleware of the array runs first.
    public func wrap(_ handler: @escaping Handler) -> Handler {
        // A loop, not `reduce`: a closure passing through a generic function is
        // stored in its generic form, and every call through it then costs a
        // conversion thunk (an extra async frame) per layer.
        var wrapped = handler
        for middleware in reversed() {
            let next = wrapped
            wrapped = { request in try await middleware.handle(request, next: next) }
        }
        return wrapped
    }
}
