import Foundation
import CLibPQ

/// Owns one libpq connection (`PGconn*`).
///
/// `@unchecked Sendable` because it is never used by two threads at once: the
/// connecting thread has it alone until it hands it to a ``Connection``; from
/// then on every libpq call on it happens under that connection's lock.
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
