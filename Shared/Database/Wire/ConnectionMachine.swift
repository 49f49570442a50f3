import CLibPQ
import CSystem

/// The libpq side of one connection: queued work, the work in flight, and
/// the prepared statements. Always used under its ``Connection``'s lock:
/// callers send from their own thread (non-blocking), the loop thread reads.
///
/// The connection stays in pipeline mode, non-blocking: a batch is sent as
/// Parse/Bind/Execute per statement plus one `Sync`, and its results are
/// collected as the socket becomes readable. Scripts leave pipeline mode for
/// their one simple-protocol query. Continuations are not resumed here but
/// handed back as ``Completion``s, to be resumed after the lock is released.
struct ConnectionMachine {
    struct Settings: Sendable {
        let usesPreparedStatements: Bool
        let maxPreparedStatements: Int
    }

    private enum InFlight {
        case batch(BatchProgress)
        case script(ScriptProgress)
    }

    /// What each result of a batch answers, in order, by the index of its
    /// statement in the batch (plain integers: nothing to retain per result).
    private enum Slot {
        case prepare(Int)
        case execute(Int, prepared: Bool)
    }

    private struct BatchProgress {
        let continuation: BatchContinuation
        let batch: Batch
        var next = 0
        var results = BatchResult()
        var error: Error?
    }

    private struct ScriptProgress {
        let continuation: ScriptContinuation
        var error: Error?
    }

    private let handle: PGHandle
    private let watch: SocketWatch
    private let counters: WireCounters
    private let health: ConnectionHealth
    private let settings: Settings
    private var queue: [ConnectionWork] = []
    private var inFlight: InFlight?
    /// Checked by matching, not `== nil`, which copies the payload (with its retains).
    private var isIdle: Bool {
        if case .none = inFlight { return true }
        return false
    }
    private var cache = StatementCache()
    /// What each result of the batch in flight answers; kept to reuse its storage.
    private var slots: [Slot] = []
    /// Whether the loop watches writability (saves a lock and a syscall per flush).
    private var watchesWrites = false
    private var dead = false

    init(handle: PGHandle, watch: SocketWatch, counters: WireCounters, health: ConnectionHealth, settings: Settings) {
        self.handle = handle
        self.watch = watch
        self.counters = counters
        self.health = health
        self.settings = settings
    }

    private var pg: OpaquePointer { handle.pointer }

    /// Sends at once if nothing is in flight, else queues behind it.
    mutating func submit(_ work: ConnectionWork, completions: inout Completions) {
        guard !dead else {
            completions.append(.failure(work, PoolError.connectionLost(reason: "the connection is broken")))
            return
        }
        guard isIdle, queue.isEmpty else {
            queue.append(work)
            return
        }
        start(work, &completions)
    }

    mutating func handle(events: UInt32, completions: inout Completions) {
        // The loop may deliver an event it read just before the connection closed.
        guard !dead else { return }
        if events & EPOLLOUT.rawValue != 0 { flush(&completions) }
        if events & ~EPOLLOUT.rawValue != 0 { readable(&completions) }
    }

    /// Closes the connection for good.
    mutating func close(completions: inout Completions) {
        die(reason: "the connection was closed", &completions)
        handle.finish()
    }

    // MARK: Sending

    private mutating func startNext(_ completions: inout Completions) {
        while isIdle, !dead, !queue.isEmpty {
            start(queue.removeFirst(), &completions)
        }
    }

    private mutating func start(_ work: ConnectionWork, _ completions: inout Completions) {
        switch work {
        case .batch(let batch, let continuation):
            guard send(batch) else {
                completions.append(.batch(continuation, .failure(lostError())))
                die(reason: handle.errorMessage, &completions)
                return
            }
            inFlight = .batch(BatchProgress(continuation: continuation, batch: batch))
            flush(&completions)
        case .script(let text, let continuation):
            guard PQexitPipelineMode(pg) == 1, PQsendQuery(pg, text) == 1 else {
                completions.append(.script(continuation, .failure(lostError())))
                die(reason: handle.errorMessage, &completions)
                return
            }
            counters.count(statements: 1)
            inFlight = .script(ScriptProgress(continuation: continuation))
            flush(&completions)
        case .call(let body):
            body(handle)
        }
    }

    /// Queues the statements and a `Sync`, noting in `slots` what each result will answer.
    private mutating func send(_ batch: Batch) -> Bool {
        slots.removeAll(keepingCapacity: true)
        for index in 0..<batch.count {
            guard send(batch[index], at: index) else { return false }
        }
        guard PQpipelineSync(pg) == 1 else { return false }
        counters.count(statements: batch.count)
        return true
    }

    /// Queues one statement, prepared first if this connection has not seen it yet.
    private mutating func send(_ statement: borrowing Statement, at index: Int) -> Bool {
        guard settings.usesPreparedStatements else {
            guard statement.send(on: pg) else { return false }
            slots.append(.execute(index, prepared: false))
            return true
        }
        var name = cache.name(for: statement.key)
        if name == nil {
            let allocated = cache.allocate(for: statement.key)
            guard statement.prepare(on: pg, as: allocated) else { return false }
            slots.append(.prepare(index))
            name = allocated
            if cache.allocated > settings.maxPreparedStatements { health.requestRetirement() }
        }
        guard statement.send(on: pg, as: name.unsafelyUnwrapped) else { return false }
        slots.append(.execute(index, prepared: true))
        return true
    }

    private mutating func flush(_ completions: inout Completions) {
        let pending: Bool
        switch PQflush(pg) {
        case 0: pending = false
        case 1: pending = true
        default:
            die(reason: handle.errorMessage, &completions)
            return
        }
        guard pending != watchesWrites else { return }
        watchesWrites = pending
        watch.watchWrites(pending)
    }

    // MARK: Receiving

    private mutating func readable(_ completions: inout Completions) {
        guard !dead else { return }
        guard PQconsumeInput(pg) == 1 else {
            die(reason: handle.errorMessage, &completions)
            return
        }
        // Taken out and put back if unfinished: moved, never copied.
        switch inFlight.take() {
        case .batch(var progress):
            if collect(&progress) {
                health.recordTransactionStatus(PQtransactionStatus(pg))
                completions.append(.batch(progress.continuation, progress.error.map { .failure($0) }
                    ?? .success(progress.results)))
            } else {
                inFlight = .batch(progress)
            }
        case .script(var progress):
            if collect(&progress) {
                finish(progress, &completions)
            } else {
                inFlight = .script(progress)
            }
        case nil:
            // Nothing asked: drain notifications; a closed server shows up as BAD.
            while let notification = PQnotifies(pg) { PQfreemem(notification) }
        }
        if PQstatus(pg) == CONNECTION_BAD { die(reason: handle.errorMessage, &completions) }
        startNext(&completions)
    }

    /// Reads what is available; `true` once the batch's `Sync` has arrived.
    private mutating func collect(_ progress: inout BatchProgress) -> Bool {
        var nullsInARow = 0
        while PQisBusy(pg) == 0 {
            guard let result = PQgetResult(pg) else {
                // A NULL ends each statement's results; two in a row means "wait for input".
                nullsInARow += 1
                if nullsInARow > 1 { return false }
                continue
            }
            nullsInARow = 0
            let status = PQresultStatus(result)
            if status == PGRES_PIPELINE_SYNC {
                PQclear(result)
                return true
            }
            guard progress.next < slots.count else {
                PQclear(result)
                continue
            }
            let slot = slots[progress.next]
            progress.next += 1
            record(result, status: status, for: slot, in: &progress)
        }
        return false
    }

    private mutating func record(_ result: OpaquePointer, status: ExecStatusType, for slot: Slot, in progress: inout BatchProgress) {
        let succeeded = status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK || status == PGRES_EMPTY_QUERY
        if succeeded, case .execute(let index, _) = slot {
            if progress.batch.keeps(index) { progress.results.append(ResultHandle(result)) } else { PQclear(result) }
            return
        }
        defer { PQclear(result) }
        if case .prepare(let index) = slot, !succeeded {
            // Not prepared on the server (failed, or skipped after an earlier error).
            cache.forget(progress.batch[index].key)
        }
        if status == PGRES_FATAL_ERROR {
            let error = DatabaseError(result: result)
            if progress.error == nil { progress.error = error }
            // "cached plan must not change result type": prepare afresh next time.
            if case .execute(let index, prepared: true) = slot, error.sqlState == "0A000" { cache.forget(progress.batch[index].key) }
        } else if !succeeded, status != PGRES_PIPELINE_ABORTED, progress.error == nil {
            progress.error = DatabaseError(sqlState: "0A000", message: "unsupported result status \(String(cString: PQresStatus(status)))")
        }
    }

    /// Reads what is available; `true` once the script's last result has arrived.
    private mutating func collect(_ progress: inout ScriptProgress) -> Bool {
        while PQisBusy(pg) == 0 {
            guard let result = PQgetResult(pg) else { return true }
            if PQresultStatus(result) == PGRES_FATAL_ERROR, progress.error == nil {
                progress.error = DatabaseError(result: result)
            }
            PQclear(result)
        }
        return false
    }

    private mutating func finish(_ progress: ScriptProgress, _ completions: inout Completions) {
        guard PQenterPipelineMode(pg) == 1 else {
            completions.append(.script(progress.continuation, .failure(lostError())))
            die(reason: handle.errorMessage, &completions)
            return
        }
        health.recordTransactionStatus(PQtransactionStatus(pg))
        completions.append(.script(progress.continuation, progress.error.map { .failure($0) } ?? .success(())))
    }

    // MARK: Failure

    private func lostError() -> PoolError {
        .connectionLost(reason: handle.errorMessage)
    }

    /// Marks the connection broken, stops watching it, and fails everything queued.
    private mutating func die(reason: String, _ completions: inout Completions) {
        guard !dead else { return }
        dead = true
        health.markBroken()
        watch.remove()
        let error = PoolError.connectionLost(reason: reason.isEmpty ? "the connection was closed" : reason)
        switch inFlight {
        case .batch(let progress): completions.append(.batch(progress.continuation, .failure(error)))
        case .script(let progress): completions.append(.script(progress.continuation, .failure(error)))
        case nil: break
        }
        inFlight = nil
        for work in queue { completions.append(.failure(work, error)) }
        queue.removeAll()
    }
}
