import MusterHTTP

/// Pulls an export's events a page at a time as the client reads: the server asks
/// for the next chunk only when the previous one left, so memory stays one page.
actor ExportStream {
    private let events: EventStore
    private let chain: AuditChain
    private let format: ExportFormat
    private let last: Int64
    private var position: Int64
    private var pending: [UInt8]?
    static let pageSize = 1000

    /// Streams `preamble`, then the events `range` (if any) in seq order.
    init(events: EventStore, chain: AuditChain, format: ExportFormat, range: ClosedRange<Int64>?, preamble: [UInt8]) {
        self.events = events
        self.chain = chain
        self.format = format
        position = (range?.lowerBound ?? 1) - 1
        last = range?.upperBound ?? 0
        pending = preamble
    }

    func next() async throws -> [UInt8]? {
        if let preamble = pending {
            pending = nil
            return preamble
        }
        guard position < last else { return nil }
        let page = try await events.range(of: chain, after: position, through: last, limit: Self.pageSize)
        guard let final = page.last else {
            position = last
            return nil
        }
        var out: [UInt8] = []
        out.reserveCapacity(page.count * 700)
        for event in page { format.write(event, into: &out) }
        position = final.seq
        return out
    }

    nonisolated var body: HTTPBody {
        .stream(AsyncThrowingStream { try await self.next() })
    }
}
