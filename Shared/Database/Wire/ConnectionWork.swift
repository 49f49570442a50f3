/// Who waits for a batch. Unsafe rather than checked (which costs an
/// allocation per round trip): the machine resumes each exactly once, with its
/// results or with the failure that ends the batch or the connection.
typealias BatchContinuation = UnsafeContinuation<BatchResult, Error>
/// Who waits for a script; unsafe for the same reason, and because a checked
/// continuation's layout is resilient: every enum holding one (the work, the
/// work in flight, the completions) would be copied through run-time witnesses.
typealias ScriptContinuation = UnsafeContinuation<Void, Error>

/// What a connection runs, in order.
enum ConnectionWork: Sendable {
    /// Statements pipelined in one round trip, ended by one `Sync`.
    case batch(Batch, BatchContinuation)
    /// A multi-statement script (migrations), over the simple query protocol.
    case script(String, ScriptContinuation)
    /// A libpq call that needs the handle but no round trip (e.g. password
    /// hashing), run under the lock; called with `nil` if the connection is gone.
    case call(@Sendable (PGHandle?) -> Void)
}

/// The statements of one round trip, and which of their results go back to
/// the caller (the others, e.g. `BEGIN` and the scoping, are only checked for
/// errors). A lone statement, every `pool.query`, is kept inline: no array.
enum Batch: Sendable {
    /// One statement, whose result is kept.
    case one(Statement)
    case many([Statement], keeping: Range<Int>)

    var count: Int {
        switch self {
        case .one: 1
        case .many(let statements, _): statements.count
        }
    }

    subscript(index: Int) -> Statement {
        switch self {
        case .one(let statement): statement
        case .many(let statements, _): statements[index]
        }
    }

    /// Whether the result of the statement at `index` goes back to the caller.
    func keeps(_ index: Int) -> Bool {
        switch self {
        case .one: true
        case .many(_, let keeping): keeping.contains(index)
        }
    }
}

/// The results a batch kept, one per statement, in order. The first is kept
/// inline: most batches keep one result, and then no array is allocated.
struct BatchResult: Sendable {
    private var first: ResultHandle?
    private var rest: [ResultHandle] = []

    var count: Int { first == nil ? 0 : 1 + rest.count }

    subscript(index: Int) -> ResultHandle {
        index == 0 ? first! : rest[index - 1]
    }

    mutating func append(_ result: ResultHandle) {
        if first == nil { first = result } else { rest.append(result) }
    }

    /// Takes out the first result (a check the pool read before the caller's results).
    mutating func removeFirst() -> ResultHandle {
        let result = first!
        first = rest.isEmpty ? nil : rest.removeFirst()
        return result
    }
}

/// The continuations one locked section hands back, in order. Almost always
/// one, kept inline: the common case allocates nothing.
struct Completions {
    private var first: Completion?
    private var rest: [Completion] = []

    mutating func append(_ completion: Completion) {
        if case .none = first { first = completion } else { rest.append(completion) }
    }

    consuming func resumeAll() {
        first?.resume()
        for completion in rest { completion.resume() }
    }
}

/// A continuation to resume once the connection's lock is released.
enum Completion {
    case batch(BatchContinuation, Result<BatchResult, Error>)
    case script(ScriptContinuation, Result<Void, Error>)
    case call(@Sendable (PGHandle?) -> Void)

    static func failure(_ work: ConnectionWork, _ error: Error) -> Completion {
        switch work {
        case .batch(_, let continuation): .batch(continuation, .failure(error))
        case .script(_, let continuation): .script(continuation, .failure(error))
        case .call(let body): .call(body)
        }
    }

    func resume() {
        switch self {
        case .batch(let continuation, let result): continuation.resume(with: result)
        case .script(let continuation, let result): continuation.resume(with: result)
        case .call(let body): body(nil)
        }
    }
}
