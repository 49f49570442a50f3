import Foundation
import MusterCore
import Synchronization

/// Works the delivery queue for as long as the service runs: claims due messages
/// (a lease each), sends them through the transport, and records each outcome —
/// sent, retry later with backoff, or failed — with an audit event.
///
/// Up to eight times the transport's concurrency is claimed at a time, so that a
/// connection never waits for the database and each claim is a batch worth its
/// round trips; more is claimed once half has gone out. A message is not started
/// unless its lease outlasts the longest send; one that waited too long is left
/// to lapse and goes out from the next claim. On
/// shutdown it stops claiming and lets what it holds finish; anything a killed
/// process held is claimed again by any replica once its lease ends.
struct DeliveryWorker: Sendable {
    let queue: DeliveryQueue
    let dispatch: MessageDispatch
    let recorder: OutcomeRecorder
    let transport: any MailTransport
    let composer: EmailComposer
    let settings: DeliverySettings
    /// The longest one send may take: a message is not started unless its lease outlasts this.
    let sendTimeout: Duration
    let replica: String
    let wakeup: Wakeup
    let metrics: DeliveryMetrics
    let logger: Logger

    /// Runs until the task is cancelled, then waits for the sends in flight.
    func run() async {
        let inFlight = InFlight()
        let capacity = 8 * transport.concurrency
        logger.info("delivery worker started", ["replica": replica, "concurrency": String(transport.concurrency)])
        await withDiscardingTaskGroup { group in
            while !Task.isCancelled {
                let busy = inFlight.count.load(ordering: .relaxed)
                if busy <= capacity / 2 {
                    let prepared = await claim(limit: capacity - busy)
                    for message in prepared {
                        inFlight.count.add(1, ordering: .relaxed)
                        group.addTask {
                            // A send that has started finishes, and is recorded, even when the service stops.
                            await Task {
                                let result = await attempt(message)
                                // The connection is free: the next message need not wait for this one's record.
                                // The loop claims more once half has gone out; it is woken just then.
                                if inFlight.count.subtract(1, ordering: .relaxed).newValue == capacity / 2 { wakeup.signal() }
                                if let result { await record(result) }
                            }.value
                        }
                    }
                    if prepared.count == capacity - busy { continue }
                }
                await wakeup.wait(upTo: settings.pollInterval)
            }
        }
        transport.shutdown()
        logger.info("delivery worker stopped", ["replica": replica])
    }

    /// Claims up to `limit` due messages and prepares them, scope by scope.
    private func claim(limit: Int) async -> [PreparedMessage] {
        do {
            let claims = try await queue.claim(limit: limit, lease: settings.lease, replica: replica)
            var prepared: [PreparedMessage] = []
            for (scope, group) in Dictionary(grouping: claims, by: \.scope) {
                do {
                    prepared += try await dispatch.prepare(group, scope: scope, replica: replica)
                } catch {
                    // The claims lapse with their lease and the messages are tried again.
                    logger.error("could not prepare claimed messages", ["agency": scope.description,
                                                                          "error": "\(error)"])
                }
            }
            return prepared
        } catch {
            logger.error("could not claim due messages", ["error": "\(error)"])
            return []
        }
    }

    /// Renders and sends one message; `nil` when it could not start while its claim
    /// outlasted the longest send (another replica may claim it before such a send
    /// could end, and it goes out from there).
    private func attempt(_ message: PreparedMessage) async -> AttemptResult? {
        let id = message.claim.message
        let started = ContinuousClock.now
        let outcome: DeliveryOutcome
        if let data = message.data, let recipient = MailAddress(message.recipient.address) {
            let email = composer.compose(message, data: data, recipient: recipient)
            guard let sent = await transport.send(email.encoded(), id: id, from: composer.sender.address, to: recipient,
                                                  startBy: message.claim.expires - sendTimeout) else {
                logger.warning("claim too close to its end to start sending; left to lapse", ["message": id.description])
                return nil
            }
            outcome = sent
        } else {
            outcome = .permanentFailure(code: nil, reply: "the stored message could not be read")
        }
        let (status, next) = decide(outcome, for: message)
        metrics.record(status, seconds: (ContinuousClock.now - started).seconds)
        let recorded = status == .failed && outcome.attemptOutcome == .temporaryFailure
            ? DeliveryOutcome.temporaryFailure(code: outcome.code, reply: "gave up after the retry window: \(outcome.reply)")
            : outcome
        return AttemptResult(message: message, outcome: recorded, status: status, nextAttempt: next)
    }

    private func decide(_ outcome: DeliveryOutcome, for message: PreparedMessage) -> (MessageStatus, Date?) {
        switch outcome {
        case .sent: return (.sent, nil)
        case .permanentFailure: return (.failed, nil)
        case .temporaryFailure:
            let next = settings.retry.nextAttempt(afterFailedAttempts: message.attempt, acceptedAt: message.acceptedAt, now: Date())
            return next.map { (.retrying, $0) } ?? (.failed, nil)
        }
    }

    /// Records the outcome, retrying a failing database a few times: an outcome
    /// left unrecorded means the message is sent again once the claim lapses.
    private func record(_ result: AttemptResult) async {
        var failure: String?
        for retry in 0..<5 {
            do {
                if try await !recorder.record(result) {
                    logger.warning("claim lapsed before the outcome was recorded", fields(result, error: failure))
                }
                // The delivery log in the database has every send; the process log only what needs a look.
                let level: Logger.Level = result.status == .sent ? .debug : .warning
                // Fields are built only for a line that is written: this runs for every message.
                if level >= logger.minimumLevel { logger.log(level, "email \(result.status.rawValue)", fields(result, error: failure)) }
                return
            } catch {
                failure = "\(error)"
                try? await Task.sleep(for: .milliseconds(200 << retry))
            }
        }
        logger.error("could not record an email's outcome", fields(result, error: failure))
    }

    private func fields(_ result: AttemptResult, error: String?) -> [String: String] {
        let message = result.message
        var fields = ["message": message.claim.message.description, "template": message.template.rawValue,
                      "status": result.status.rawValue, "attempt": String(message.attempt),
                      "agency": message.claim.scope.description]
        if let code = result.outcome.code { fields["reply_code"] = String(code) }
        // The server's words help an operator; they never hold the message's content.
        if result.status != .sent { fields["reply"] = String(result.outcome.reply.prefix(300)) }
        fields["error"] = error
        return fields
    }
}

/// Messages this replica is sending, shared by the loop and the send tasks.
private final class InFlight: Sendable {
    let count = Atomic<Int>(0)
}
