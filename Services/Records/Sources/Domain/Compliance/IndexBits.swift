/// A set of small non-negative indices (interned codes, ranks, units) as bits:
/// membership is one load, and testing it allocates nothing.
struct IndexBits: Sendable, Equatable {
    private(set) var words: [UInt64] = []

    init() {}

    init(_ indices: some Sequence<Int32>) {
        for index in indices { insert(index) }
    }

    mutating func insert(_ index: Int32) {
        let word = Int(index) >> 6
        if word >= words.count { words.append(contentsOf: repeatElement(0, count: word - words.count + 1)) }
        words[word] |= 1 << UInt64(index & 63)
    }

    @inline(__always)
    func contains(_ index: Int32) -> Bool {
        guard index >= 0 else { return false }
        let word = Int(index) >> 6
        return word < words.count && words[word] & (1 << UInt64(index & 63)) != 0
    }

    var isEmpty: Bool { words.allSatisfy { $0 == 0 } }
}

/// Strings interned to dense indices, in the order first seen.
struct Interner: Sendable {
    private(set) var indices: [String: Int32] = [:]

    mutating func intern(_ value: String) -> Int32 {
        if let index = indices[value] { return index }
        let index = Int32(indices.count)
        indices[value] = index
        return index
    }

    func index(of value: String?) -> Int32 {
        guard let value else { return -1 }
        return indices[value] ?? -1
    }

    var count: Int { indices.count }
}
