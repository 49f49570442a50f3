import MusterCore

/// Records outcomes in groups, like a database's group commit: a flush waits a
/// moment for more outcomes (unless a full batch is waiting), and while one
/// transaction is on its way the outcomes that arrive meanwhile go together in
/// the next. Under load a message costs a fraction of a transaction; alone, it
/// costs one, some milliseconds later. The window is wide enough to gather a
/// batch: no connection waits for a record. Each caller returns once its
/// outcome committed.
actor OutcomeRecorder {
    static let gatherWindow = Duration.milliseconds(10)
    static let fullBatch = 64

    private let store: OutcomeStore
    private var pending: [(AttemptResult, CheckedContinuation<Bool, any Error>)] = []
    private var flushing = false

    init(store: OutcomeStore) {
        self.store = store
    }

    /// Records `result`; returns whether the claim that sent it still stood.
    func record(_ result: AttemptResult) async throws -> Bool {
        try await withCheckedThrowingContinuation { continuation in
            pending.append((result, continuation))
            if !flushing {
                flushing = true
                Task { await flush() }
            }
        }
    }

    private func flush() async {
        while !pending.isEmpty {
            if pending.count < Self.fullBatch { try? await Task.sleep(for: Self.gatherWindow) }
            let batch = pending
            pending = []
            for (scope, entries) in Dictionary(grouping: batch, by: { $0.0.message.claim.scope }) {
                do {
                    let held = try await store.record(entries.map(\.0), scope: scope)
                    for (result, continuation) in entries { continuation.resume(returning: held.contains(result.message.claim.message)) }
                } catch {
                    for (_, continuation) in entries { continuation.resume(throwing: error) }
                }
            }
        }
        flushing = false
    }
}
