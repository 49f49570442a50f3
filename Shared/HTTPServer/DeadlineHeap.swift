import MusterHTTP

/// Connection deadlines of one loop, earliest first (a binary min-heap).
///
/// A connection keeps at most one live entry: pushing a later deadline than the
/// one already scheduled is skipped, and when the scheduled entry comes due the
/// loop re-checks the connection's current deadline and pushes again if it
/// moved. Keep-alive traffic therefore costs a field write per request, not a
/// heap operation.
struct DeadlineHeap {
    struct Entry {
        let time: Int64
        let connection: ConnectionID
    }

    private var entries: [Entry] = []

    var isEmpty: Bool { entries.isEmpty }
    var nextTime: Int64? { entries.first?.time }

    mutating func push(_ entry: Entry) {
        entries.append(entry)
        var child = entries.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard entries[child].time < entries[parent].time else { break }
            entries.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns the earliest entry if it is due at `now`.
    mutating func popDue(now: Int64) -> Entry? {
        guard let first = entries.first, first.time <= now else { return nil }
        let last = entries.removeLast()
        guard !entries.isEmpty else { return first }
        entries[0] = last
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < entries.count, entries[left].time < entries[smallest].time { smallest = left }
            if right < entries.count, entries[right].time < entries[smallest].time { smallest = right }
            guard smallest != parent else { break }
            entries.swapAt(parent, smallest)
            parent = smallest
        }
        return first
    }
}
