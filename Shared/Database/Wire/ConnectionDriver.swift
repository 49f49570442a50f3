import CLibPQ
import CSystem

/// The loop thread's state for one connection: queued work, the work in
/// flight, and the prepared statements. Lives and dies on the loop thread.
///
/// The connection stays in libpq pipeline mode, non-blocking: a batch is sent
/// as Parse/Bind/Execute per statement plus one `Sync`, and its results are
/// read as the socket becomes readable. Scripts leave pipeline mode for their
/// single simple-protocol query.
final class ConnectionDriver {
    private enum InFlight {
        case batch(BatchProgress)
        case script(ScriptProgress)
    }

    /// What each result of a batch answers, in order.
    private enum Slot {
        case prepare(StatementCache.Key)
        case execute(StatementCache.Key?)
    }

    private struct BatchProgress {
        let continuation: CheckedContinuation<BatchResult, Error>
        let slots: [Slot]
        var next = 0
        var results: [ResultHandle] = []
        var error: Error?
    }

    private struct ScriptProgress {
        let continuation: CheckedContinuation<Void, Error>
        var error: Error?
    }

    private let connection: Connection
    private let epollFD: Int32
    private let loop: EventLoop
    private let usesPreparedStatements: Bool
    private let maxPreparedStatements: Int
    private var pg: OpaquePointer { connection.handle.pointer }
    private let socket: Int32
    private var queue: [ConnectionWork] = []
    private var inFlight: InFlight?
    private var cache = StatementCache()
    private var watchingWrites = false
    private var dead = false

    init(connection: Connection, epollFD: Int32, loop: EventLoop, usesPreparedStatements: Bool, maxPreparedStatements: Int) {
        self.connection = connection
        self.epollFD = epollFD
        self.loop = loop
        self.usesPreparedStatements = usesPreparedStatements
        self.maxPreparedStatements = maxPreparedStatements
        socket = PQsocket(connection.handle.pointer)
        // Level-triggered: an idle connection that the server closes (restart,
        // admin shutdown) wakes the loop, which marks it broken at once.
        var event = epoll_event(events: EPOLLIN.rawValue | EPOLLRDHUP.rawValue, data: epoll_data_t(u64: connection.id))
        if socket < 0 || epoll_ctl(epollFD, EPOLL_CTL_ADD, socket, &event) != 0 {
            die(reason: "cannot watch the connection's socket")
        }
    }

    func enqueue(_ work: ConnectionWork) {
        guard !dead else {
            ConnectionDriver.fail(work, with: PoolError.connectionLost(reason: "the connection is broken"))
            return
        }
        queue.append(work)
        startNext()
    }

    func handle(events: UInt32) {
        if events & EPOLLOUT.rawValue != 0 { flush() }
        if events & ~EPOLLOUT.rawValue != 0 { readable() }
    }

    /// Closes the connection for good (the pool retired it, or the loop stops).
    func close() {
        die(reason: "the connection was closed")
        connection.handle.finish()
    }

    static func fail(_ work: ConnectionWork, with error: Error) {
        switch work {
        case .batch(_, let continuation): continuation.resume(throwing: error)
        case .script(_, let continuation): continuation.resume(throwing: error)
        case .call(let body): body(nil)
        }
    }

    // MARK: Sending

    private func startNext() {
        while inFlight == nil, !dead, !queue.isEmpty {
            switch queue.removeFirst() {
            case .batch(let statements, let continuation):
                guard let slots = send(statements) else {
                    continuation.resume(throwing: lostError())
                    die(reason: connection.handle.errorMessage)
                    return
                }
                inFlight = .batch(BatchProgress(continuation: continuation, slots: slots))
                flush()
            case .script(let text, let continuation):
                guard PQexitPipelineMode(pg) == 1, PQsendQuery(pg, text) == 1 else {
                    continuation.resume(throwing: lostError())
                    die(reason: connection.handle.errorMessage)
                    return
                }
                loop.statementsSent.add(1, ordering: .relaxed)
                inFlight = .script(ScriptProgress(continuation: continuation))
                flush()
            case .call(let body):
                body(connection.handle)
            }
        }
    }

    /// Queues the statements and a `Sync`; returns what each result will answer.
    private func send(_ statements: [Statement]) -> [Slot]? {
        var slots: [Slot] = []
        for statement in statements {
            guard usesPreparedStatements, statement.cacheable else {
                let sent = statement.withParameters { values, lengths, formats in
                    PQsendQueryParams(pg, statement.text, statement.parameterCount, statement.types, values, lengths, formats, 0)
                }
                guard sent == 1 else { return nil }
                slots.append(.execute(nil))
                continue
            }
            let key = StatementCache.Key(text: statement.text, types: statement.types)
            var name = cache.name(for: key)
            if name == nil {
                let allocated = cache.allocate(for: key)
                guard PQsendPrepare(pg, allocated, statement.text, statement.parameterCount, statement.types) == 1 else { return nil }
                slots.append(.prepare(key))
                name = allocated
                if cache.allocated > maxPreparedStatements { connection.requestRetirement() }
            }
            let sent = statement.withParameters { values, lengths, formats in
                PQsendQueryPrepared(pg, name, statement.parameterCount, values, lengths, formats, 0)
            }
            guard sent == 1 else { return nil }
            slots.append(.execute(key))
        }
        guard PQpipelineSync(pg) == 1 else { return nil }
        loop.statementsSent.add(statements.count, ordering: .relaxed)
        return slots
    }

    private func flush() {
        switch PQflush(pg) {
        case 0: watchWrites(false)
        case 1: watchWrites(true)
        default: die(reason: connection.handle.errorMessage)
        }
    }

    private func watchWrites(_ watch: Bool) {
        guard watch != watchingWrites, !dead else { return }
        watchingWrites = watch
        var event = epoll_event(events: EPOLLIN.rawValue | EPOLLRDHUP.rawValue | (watch ? EPOLLOUT.rawValue : 0),
                                data: epoll_data_t(u64: connection.id))
        epoll_ctl(epollFD, EPOLL_CTL_MOD, socket, &event)
    }

    // MARK: Receiving

    private func readable() {
        guard !dead else { return }
        guard PQconsumeInput(pg) == 1 else {
            die(reason: connection.handle.errorMessage)
            return
        }
        switch inFlight {
        case .batch(var progress):
            inFlight = nil
            if collect(&progress) {
                finish(progress)
            } else {
                inFlight = .batch(progress)
            }
        case .script(var progress):
            inFlight = nil
            if collect(&progress) {
                finish(progress)
            } else {
                inFlight = .script(progress)
            }
        case nil:
            // Nothing asked: drain notifications; a closed server shows up as BAD.
            while let notification = PQnotifies(pg) { PQfreemem(notification) }
        }
        if PQstatus(pg) == CONNECTION_BAD { die(reason: connection.handle.errorMessage) }
        startNext()
    }

    /// Reads what is available; `true` once the batch's `Sync` has arrived.
    private func collect(_ progress: inout BatchProgress) -> Bool {
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
            guard progress.next < progress.slots.count else {
                PQclear(result)
                continue
            }
            let slot = progress.slots[progress.next]
            progress.next += 1
            record(result, status: status, for: slot, in: &progress)
        }
        return false
    }

    private func record(_ result: OpaquePointer, status: ExecStatusType, for slot: Slot, in progress: inout BatchProgress) {
        switch (slot, status) {
        case (.execute, PGRES_TUPLES_OK), (.execute, PGRES_COMMAND_OK), (.execute, PGRES_EMPTY_QUERY):
            progress.results.append(ResultHandle(result))
            return
        case (.prepare, PGRES_COMMAND_OK):
            break
        case (.prepare(let key), _):
            // Not prepared on the server (failed or skipped after an earlier error).
            cache.forget(key)
        case (.execute(let key), PGRES_FATAL_ERROR):
            let error = DatabaseError(result: result)
            // "cached plan must not change result type": prepare afresh next time.
            if let key, error.sqlState == "0A000" { cache.forget(key) }
            if progress.error == nil { progress.error = error }
        case (.execute, PGRES_PIPELINE_ABORTED):
            break
        case (.execute, _):
            if progress.error == nil {
                progress.error = DatabaseError(sqlState: "0A000", message: "unsupported result status \(String(cString: PQresStatus(status)))")
            }
        }
        PQclear(result)
    }

    /// Reads what is available; `true` once the script's last result has arrived.
    private func collect(_ progress: inout ScriptProgress) -> Bool {
        while PQisBusy(pg) == 0 {
            guard let result = PQgetResult(pg) else { return true }
            if PQresultStatus(result) == PGRES_FATAL_ERROR, progress.error == nil {
                progress.error = DatabaseError(result: result)
            }
            PQclear(result)
        }
        return false
    }

    private func finish(_ progress: BatchProgress) {
        connection.recordTransactionStatus(PQtransactionStatus(pg))
        if let error = progress.error {
            progress.continuation.resume(throwing: error)
        } else {
            progress.continuation.resume(returning: BatchResult(results: progress.results))
        }
    }

    private func finish(_ progress: ScriptProgress) {
        guard PQenterPipelineMode(pg) == 1 else {
            progress.continuation.resume(throwing: lostError())
            die(reason: connection.handle.errorMessage)
            return
        }
        connection.recordTransactionStatus(PQtransactionStatus(pg))
        if let error = progress.error {
            progress.continuation.resume(throwing: error)
        } else {
            progress.continuation.resume()
        }
    }

    // MARK: Failure

    private func lostError() -> PoolError {
        .connectionLost(reason: connection.handle.errorMessage)
    }

    /// Marks the connection broken, stops watching it, and fails everything queued.
    private func die(reason: String) {
        guard !dead else { return }
        dead = true
        connection.markBroken()
        // libpq closes the socket itself on a lost connection; only a still-open
        // socket is ours to unregister (its number may already be reused).
        if socket >= 0, PQsocket(pg) == socket {
            epoll_ctl(epollFD, EPOLL_CTL_DEL, socket, nil)
        }
        let error = PoolError.connectionLost(reason: reason.isEmpty ? "the connection was closed" : reason)
        switch inFlight {
        case .batch(let progress): progress.continuation.resume(throwing: error)
        case .script(let progress): progress.continuation.resume(throwing: error)
        case nil: break
        }
        inFlight = nil
        for work in queue { ConnectionDriver.fail(work, with: error) }
        queue.removeAll()
    }
}
