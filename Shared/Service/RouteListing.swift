import MusterAuth
import MusterContracts
import MusterCore
import MusterHTTP

/// `GET /internal/routes`: every route this service registered, for the Gateway's
/// OpenAPI check (the document must describe exactly the public routes services serve).
/// Callable by the Gateway only.
///
/// ```swift
/// RouteListing.register(on: router, context: context)   // last, so it sees every route
/// ```
public enum RouteListing {
    public static let path = "/internal/routes"

    public static func register(on router: Router, context: ServiceContext) {
        let auth = ServiceAuthMiddleware(verifier: context.credentials.verifier, allowedCallers: [.gateway])
        let listing = RegisteredRoutes(service: context.service.rawValue,
                                       routes: (router.routes.map { .init(method: $0.method.rawValue, template: $0.template) }
                                                + [.init(method: "GET", template: path)]))
        router.get(path, middleware: [auth]) { _ in try .json(listing) }
    }
}
