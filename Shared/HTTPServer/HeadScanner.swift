import Glibc
import MusterHTTP

/// Finds the end of a request head (`CRLF CRLF`) as bytes trickle in, without
/// rescanning what it has already checked, and refuses a bare LF the moment it arrives.
package struct HeadScanner {
    package enum Outcome {
        case incomplete
        /// The head, final empty line included, is this many bytes long.
        case complete(Int)
        case bareLineFeed
    }

    /// Bytes of the current head already checked.
    private var scanned = 0

    package init() {}

    package mutating func reset() { scanned = 0 }

    /// Scans `head` (the current head's bytes so far, from its first byte).
    package mutating func scan(_ head: UnsafeRawBufferPointer) -> Outcome {
        guard let base = head.baseAddress else { return .incomplete }
        let bytes = head.bindMemory(to: UInt8.self)
        while scanned < head.count {
            guard let found = memchr(base + scanned, 0x0A, head.count - scanned) else {
                scanned = head.count
                return .incomplete
            }
            let lf = base.distance(to: UnsafeRawPointer(found))
            scanned = lf + 1
            guard lf > 0, bytes[lf - 1] == 0x0D else { return .bareLineFeed }
            if lf >= 3, bytes[lf - 2] == 0x0A { return .complete(lf + 1) }
        }
        return .incomplete
    }
}
