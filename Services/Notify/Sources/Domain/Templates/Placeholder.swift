import MusterTime

/// A value a template may show, how it is computed, and what admins are told about it.
public struct Placeholder: Sendable {
    public enum Kind: String, Sendable, Codable {
        /// Plain text, HTML-escaped in the HTML part.
        case text
        /// A URL; an admin's text override shows it as a link in the HTML part.
        case link
    }

    public let name: String
    public let kind: Kind
    public let summary: String
    /// For links: the button text when the link stands on a line of its own.
    public let label: String?
    let value: @Sendable (TemplateInputs) -> String

    init(_ name: String, _ summary: String, value: @escaping @Sendable (TemplateInputs) -> String) {
        self.name = name
        self.kind = .text
        self.summary = summary
        self.label = nil
        self.value = value
    }

    init(link name: String, label: String, _ summary: String, value: @escaping @Sendable (TemplateInputs) -> String) {
        self.name = name
        self.kind = .link
        self.summary = summary
        self.label = label
        self.value = value
    }
}

/// Every placeholder of the built-in templates. The data keys they read are the
/// contract with the services that send email (see `EmailRequest`).
public enum PlaceholderCatalog {
    /// Offered by every template.
    static let common = ["agency_name", "recipient_name", "recipient_email", "sign_in_link"]

    public static let all: [String: Placeholder] = Dictionary(uniqueKeysWithValues: [
        Placeholder("agency_name", "The agency's name.") { $0.agencyName },
        Placeholder("recipient_name", "The recipient's name (\"there\" when unknown).") {
            $0.recipient.name ?? $0.data["recipient_name"] ?? "there"
        },
        Placeholder("recipient_email", "The recipient's email address.") { $0.recipient.address },
        Placeholder(link: "sign_in_link", label: "Sign in to Muster", "The sign-in page.") { $0.link("/") },
        Placeholder(link: "invitation_link", label: "Accept the invitation", "Where the invited person accepts and chooses a password (single use).") {
            $0.link("/accept-invitation", query: [("token", $0.data["token"] ?? "")])
        },
        Placeholder(link: "reset_link", label: "Choose a new password", "Where the user chooses a new password (single use).") {
            $0.link("/reset-password", query: [("token", $0.data["token"] ?? "")])
        },
        Placeholder(link: "forgot_password_link", label: "Reset your password", "Where a user asks for a password reset.") { $0.link("/forgot-password") },
        Placeholder(link: "security_link", label: "Review your security settings", "The user's security settings.") { $0.link("/account/security") },
        Placeholder(link: "certifications_link", label: "See your certifications", "The user's certifications.") { $0.link("/me/certifications") },
        Placeholder(link: "audit_link", label: "Open the audit trail", "The agency's audit trail.") { $0.link("/audit") },
        Placeholder("inviter_name", "Who sent the invitation.") { $0.data["inviter_name"] ?? "An administrator" },
        Placeholder("expires_at", "When the link expires, e.g. \"in 72 hours\" or \"on 2024-01-09 at 14:05 UTC\".") {
            $0.expiry
        },
        Placeholder("changed_at", "When the change happened, e.g. \"on 2024-01-09 at 14:05 UTC\".") {
            $0.time("changed_at", fallback: TemplateInputs.humanTime($0.acceptedAt))
        },
        Placeholder("locked_email", "The email address of the account that was locked.") { $0.data["locked_email"] ?? "" },
        Placeholder("failures", "How many sign-in attempts failed in a row.") { $0.data["failures"] ?? "several" },
        Placeholder("locked_until", "When the account unlocks, e.g. \"on 2024-01-09 at 14:05 UTC\".") {
            $0.time("locked_until", fallback: "after a short wait")
        },
        Placeholder(link: "users_link", label: "Review the account", "The agency's user administration.") { $0.link("/admin/users") },
        Placeholder("certification_name", "The certification that expires.") { $0.data["certification_name"] ?? "" },
        Placeholder("expires_on", "The day the certification expires (YYYY-MM-DD).") { $0.data["expires_on"] ?? "" },
        Placeholder("training_title", "The title of the training an officer submitted.") { $0.data["training_title"] ?? "" },
        Placeholder("completed_on", "The day the training was completed (YYYY-MM-DD).") { $0.data["completed_on"] ?? "" },
        Placeholder("hours", "The hours of the training.") { $0.data["hours"] ?? "" },
        Placeholder("reason", "Why the submission was not approved.") { $0.data["reason"] ?? "" },
        Placeholder(link: "training_link", label: "See your training records", "The user's training records.") { $0.link("/me/training") },
        Placeholder("seq", "The checkpoint's sequence number.") { $0.data["seq"] ?? "" },
        Placeholder("hash", "The audit chain's hash at the checkpoint.") { $0.data["hash"] ?? "" },
        Placeholder("signed_at", "When the checkpoint was signed.") {
            $0.time("signed_at", fallback: TemplateInputs.humanTime($0.acceptedAt))
        },
        Placeholder("kid", "The key that signed the checkpoint.") { $0.data["kid"] ?? "" },
        Placeholder("checkpoint", "The signed checkpoint document (JSON), for the recipient to keep.") { $0.data["checkpoint"] ?? "" },
        Placeholder("item_name", "The requirement or certification a reminder is about.") { $0.data["item_name"] ?? "" },
        Placeholder("due_date", "The item's due date in words, e.g. \"Monday, March 31, 2025\" (the agency's local date).") {
            $0.data["due_on"].flatMap { CalendarDate($0) }.map(ReminderWording.date) ?? ""
        },
        Placeholder("when_due", "How far the due date is from the day the reminder went out, e.g. \"in 30 days\", \"today\", \"7 days ago\".") {
            $0.data["days_left"].flatMap { Int($0) }.map(ReminderWording.whenDue) ?? ""
        },
        Placeholder("time_zone", "The agency's time zone, whose dates reminders give.") { $0.data["time_zone"] ?? "local" },
        Placeholder("missing", "What is still missing: hours, or what to renew or acknowledge.") { $0.data["missing"] ?? "" },
        Placeholder("person_name", "The officer a supervisor's copy is about.") { $0.data["person_name"] ?? "" },
        Placeholder(link: "officer_link", label: "Open the training file", "The officer's page.") {
            $0.link("/people/" + ($0.data["person_id"] ?? ""))
        },
        Placeholder("as_of", "The day of the digest, in words.") {
            $0.data["as_of"].flatMap { CalendarDate($0) }.map(ReminderWording.date) ?? ""
        },
        Placeholder("digest_count", "How many items the digest lists.") { $0.data["digest_count"] ?? "" },
        Placeholder("digest_items", "The items the digest lists, one per line.") { $0.data["digest_items"] ?? "" },
        Placeholder(link: "compliance_link", label: "Open compliance", "The agency's compliance overview.") { $0.link("/compliance") },
    ].map { ($0.name, $0) })
}
