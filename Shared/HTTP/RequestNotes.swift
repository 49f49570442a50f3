import MusterCore
import Synchronization

/// What the inner layers of a request learn that the outer ones report: the
/// agency it acts for (set by the user auth middleware) and, through a proxy,
/// the route's label and the upstream instance. One per request, shared by every
/// copy of its context, so that a note taken deep in the chain reaches the
/// access log and metrics written at the top.
///
/// ```swift
/// request.context.notes.note { $0.upstream = instance.url }   // inner layer
/// let agency = request.context.notes.snapshot.agency           // outer layer, afterwards
/// ```
public final class RequestNotes: Sendable {
    public struct Values: Sendable {
        public var agency: AgencyID?
        public var route: String?
        public var upstream: String?
    }

    private let values = Mutex(Values())

    public init() {}

    public var snapshot: Values { values.withLock { $0 } }

    public func note(_ update: (inout Values) -> Void) {
        values.withLock { update(&$0) }
    }
}
