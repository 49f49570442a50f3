import Synchronization

/// Orders a transfer's submission and its cancellation, which race: a task may
/// be cancelled before, while or after its transfer is handed to the thread.
///
/// Both run under one lock, so the transfer thread never sees a cancel before
/// the start it refers to, and a transfer cancelled first is never started.
final class TransferTicket: Sendable {
    private enum Phase { case created, submitted, cancelled }

    let id: UInt64
    private let phase = Mutex(Phase.created)

    init(id: UInt64) {
        self.id = id
    }

    /// Runs `start` unless the ticket was cancelled; returns whether it ran.
    func submit(_ start: () -> Void) -> Bool {
        phase.withLock { phase in
            guard phase == .created else { return false }
            phase = .submitted
            start()
            return true
        }
    }

    /// Marks the ticket cancelled and runs `stop` if the transfer had been started.
    func cancel(_ stop: () -> Void) {
        phase.withLock { phase in
            if phase == .submitted { stop() }
            phase = .cancelled
        }
    }
}
