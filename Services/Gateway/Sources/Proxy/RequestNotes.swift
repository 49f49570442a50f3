import MusterCore
import Synchronization

/// What the inner layers learn about a request that the access log (outermost) writes:
/// the route's label, the upstream instance, the agency. Bound for the request's task.
final class RequestNotes: Sendable {
    struct Values {
        var route: String?
        var upstream: String?
        var agency: AgencyID?
    }

    private let values = Mutex(Values())

    @TaskLocal static var current: RequestNotes?

    var snapshot: Values { values.withLock { $0 } }

    static func note(_ update: (inout Values) -> Void) {
        current?.values.withLock { update(&$0) }
    }
}
