/// What became of one attempt to hand a message to the mail server, with the
/// server's own words.
public enum DeliveryOutcome: Sendable, Equatable {
    case sent(reply: String)
    /// Worth another attempt: no connection, a timeout, a `4xx` reply, or a
    /// problem of Notify's own configuration (TLS, authentication) that an operator can fix.
    case temporaryFailure(code: Int?, reply: String)
    /// The server refused this message for good (`5xx` to the envelope or the content).
    case permanentFailure(code: Int?, reply: String)

    /// The SMTP reply code, when the server gave one.
    public var code: Int? {
        switch self {
        case .sent: 250
        case .temporaryFailure(let code, _), .permanentFailure(let code, _): code
        }
    }

    public var reply: String {
        switch self {
        case .sent(let reply), .temporaryFailure(_, let reply), .permanentFailure(_, let reply): reply
        }
    }

    public var attemptOutcome: AttemptOutcome {
        switch self {
        case .sent: .sent
        case .temporaryFailure: .temporaryFailure
        case .permanentFailure: .permanentFailure
        }
    }

    /// Commands whose `5xx` answer is about this message (sender, recipient,
    /// content), not about the connection or Notify's credentials.
    static let messageCommands: Set<String> = ["MAIL", "RCPT", "DATA"]

    /// Classifies a failed SMTP exchange.
    ///
    /// - Parameters:
    ///   - code: the server's last reply code, if any.
    ///   - command: the verb of the last command Notify sent (`MAIL`, `RCPT`, `DATA`, `AUTH`…).
    ///   - reply: the server's last reply, or the transport's reason when the server said nothing.
    public static func failure(code: Int?, command: String?, reply: String) -> DeliveryOutcome {
        if let code, (500..<600).contains(code), let command, messageCommands.contains(command) {
            return .permanentFailure(code: code, reply: reply)
        }
        return .temporaryFailure(code: code, reply: reply)
    }
}
