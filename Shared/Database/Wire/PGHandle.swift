import Foundation
import CLibPQ

/// Owns one libpq connection (`PGconn*`).
///
/// `@unchecked Sendable` because exactly one thread uses it at a time: the
/// thread that opens it, until it is registered with an ``EventLoop``; from
/// then on only that loop's thread, which also finishes it.
final class PGHandle: @unchecked Sendable {
    let pointer: OpaquePointer
    private var finished = false

    init(_ pointer: OpaquePointer) {
        self.pointer = pointer
    }

    /// Closes the connection (idempotent).
    func finish() {
        guard !finished else { return }
        finished = true
        PQfinish(pointer)
    }

    /// libpq's last error text for this connection, trimmed.
    var errorMessage: String {
        String(cString: PQerrorMessage(pointer)).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    deinit { finish() }
}

/// Owns one libpq result (`PGresult*`).
///
/// `@unchecked Sendable` because a finished `PGresult` is never modified, and
/// libpq documents finished results as safe to read from any thread; it is
/// freed once, when the last reference goes.
final class ResultHandle: @unchecked Sendable {
    let pointer: OpaquePointer

    init(_ pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit { PQclear(pointer) }
}
