import Synchronization

/// A service's own parts, built on first use from its context and shared from then
/// on: `ServiceMain` asks a definition for its routes, background tasks and commands
/// separately, and they must all use the same parts (one queue, one key cache…).
///
/// ```swift
/// public struct NotifyApp: ServiceDefinition {
///     private let parts = BuiltOnce(NotifyRuntime.init(context:))
///     public func registerRoutes(on router: Router, context: ServiceContext) async throws {
///         let runtime = try parts.get(context)
///         …
///     }
/// }
/// ```
public final class BuiltOnce<Value: Sendable>: Sendable {
    private let value = Mutex<Value?>(nil)
    private let build: @Sendable (ServiceContext) throws -> Value

    public init(_ build: @escaping @Sendable (ServiceContext) throws -> Value) {
        self.build = build
    }

    /// The parts, built now if this is the first call; a failed build is tried again next time.
    public func get(_ context: ServiceContext) throws -> Value {
        try value.withLock { value in
            if let value { return value }
            let built = try build(context)
            value = built
            return built
        }
    }
}
