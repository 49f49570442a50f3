/// Where a message is on its way out.
public enum MessageStatus: String, Sendable, Codable, CaseIterable {
    /// Accepted, waiting for its first attempt.
    case queued
    /// Claimed by a replica that is sending it now.
    case sending
    /// The mail server accepted it.
    case sent
    /// The last attempt failed for a reason that may pass; another attempt is scheduled.
    case retrying
    /// Given up: the server refused it for good, or it could not go out within the retry window.
    case failed
}

/// How one attempt ended; an attempt without an outcome was cut short (its
/// replica died) and is marked `abandoned` when the message is claimed again.
public enum AttemptOutcome: String, Sendable, Codable {
    case sent
    case temporaryFailure = "temporary_failure"
    case permanentFailure = "permanent_failure"
    case abandoned
}
