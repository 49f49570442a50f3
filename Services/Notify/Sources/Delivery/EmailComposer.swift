import Foundation
import MusterCore

/// Turns a prepared message into the email that goes out: rendered from its
/// template (or the agency's override), from the agency's name at the configured
/// address, with the agency's Reply-To.
struct EmailComposer: Sendable {
    let sender: Mailbox
    let publicURL: String

    func compose(_ message: PreparedMessage, data: [String: String], recipient: MailAddress, now: Date = Date()) -> OutgoingEmail {
        // The name provisioning recorded; the sender's copy for agencies provisioned before Notify kept names.
        let agencyName = message.profile.name ?? data["agency_name"]
        let inputs = TemplateInputs(data: data, recipient: message.recipient, agencyName: agencyName ?? message.profile.displayName,
                                    publicURL: publicURL, acceptedAt: message.acceptedAt)
        let rendered = TemplateRenderer.render(.builtIn(message.template), override: message.override, inputs: inputs)
        return OutgoingEmail(id: message.claim.message, date: now,
                             from: Mailbox(name: agencyName ?? sender.name, address: sender.address),
                             to: Mailbox(name: message.recipient.name, address: recipient),
                             replyTo: message.profile.replyTo, subject: rendered.subject, text: rendered.text, html: rendered.html)
    }
}
