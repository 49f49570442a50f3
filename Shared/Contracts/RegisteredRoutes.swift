/// The body of `GET /internal/routes`: what one service serves.
///
/// ```swift
/// let listing = try JSONCoding.decode(RegisteredRoutes.self, from: body)
/// listing.routes.contains(.init(method: "GET", template: "/api/v1/users/{id}"))
/// ```
public struct RegisteredRoutes: Codable, Sendable, Equatable {
    public struct Route: Codable, Sendable, Hashable {
        public var method: String
        /// The path template, parameters in braces (`/api/v1/users/{id}`).
        public var template: String
        public init(method: String, template: String) {
            self.method = method
            self.template = template
        }
    }

    public var service: String
    public var routes: [Route]

    public init(service: String, routes: [Route]) {
        self.service = service
        self.routes = routes
    }
}
