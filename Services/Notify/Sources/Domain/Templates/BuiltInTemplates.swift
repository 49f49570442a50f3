/// The texts of the built-in templates. Agency admins may override subject and
/// body per template; the HTML part is always built from the text.
enum BuiltInTemplates {
    static let all: [TemplateName: TemplateDefinition] = Dictionary(uniqueKeysWithValues: [
        TemplateDefinition(.invitation, subject: "You are invited to {{agency_name}} on Muster", body: """
            Hello {{recipient_name}},

            {{inviter_name}} invited you to join {{agency_name}} on Muster, where your training records and certifications are kept. Accept the invitation and choose your password here:
            {{invitation_link}}

            The invitation expires {{expires_at}}. If you did not expect it, you can ignore this email.
            """, specific: ["invitation_link", "inviter_name", "expires_at"], requiredData: ["token"],
            requiredPlaceholders: ["invitation_link"]),
        TemplateDefinition(.passwordReset, subject: "Reset your Muster password", body: """
            Hello {{recipient_name}},

            We received a request to reset the password of your {{agency_name}} account on Muster. Choose a new password here:
            {{reset_link}}

            The link works once and expires {{expires_at}}. If you did not ask for a new password, ignore this email: your password stays as it is.
            """, specific: ["reset_link", "expires_at"], requiredData: ["token"], requiredPlaceholders: ["reset_link"]),
        TemplateDefinition(.passwordChanged, subject: "Your Muster password was changed", body: """
            Hello {{recipient_name}},

            The password of your {{agency_name}} account on Muster was changed {{changed_at}}.

            If you did not change it, reset your password now and tell your agency administrator:
            {{forgot_password_link}}
            """, specific: ["changed_at", "forgot_password_link"]),
        TemplateDefinition(.mfaEnabled, subject: "Two-step verification was turned on", body: """
            Hello {{recipient_name}},

            Two-step verification was turned on for your {{agency_name}} account on Muster {{changed_at}}. From now on, signing in asks for a code from your authenticator app.

            If you did not do this, review your account and tell your agency administrator:
            {{security_link}}
            """, specific: ["changed_at", "security_link"]),
        TemplateDefinition(.mfaDisabled, subject: "Two-step verification was turned off", body: """
            Hello {{recipient_name}},

            Two-step verification was turned off for your {{agency_name}} account on Muster {{changed_at}}. Your account is now protected by your password alone.

            If you did not do this, review your account and tell your agency administrator:
            {{security_link}}
            """, specific: ["changed_at", "security_link"]),
        TemplateDefinition(.accountLocked, subject: "An account of {{agency_name}} was locked", body: """
            Hello {{recipient_name}},

            The account {{locked_email}} of {{agency_name}} on Muster was locked after {{failures}} failed sign-in attempts in a row. It unlocks {{locked_until}}, or when an administrator unlocks it.

            If the attempts were not made by the account's owner, someone may be guessing the password. Review the account:
            {{users_link}}
            """, specific: ["locked_email", "failures", "locked_until", "users_link"], requiredData: ["locked_email"]),
        TemplateDefinition(.renewalReminder, subject: "{{certification_name}} expires on {{expires_on}}", body: """
            Hello {{recipient_name}},

            Your {{certification_name}} certification expires on {{expires_on}}. Renew it in time to stay compliant with the training requirements of {{agency_name}}.

            See your certifications and what is due:
            {{certifications_link}}
            """, specific: ["certification_name", "expires_on", "certifications_link"],
            requiredData: ["certification_name", "expires_on"]),
        TemplateDefinition(.auditCheckpoint, subject: "Audit checkpoint {{seq}} for {{agency_name}}", body: """
            Hello {{recipient_name}},

            Muster signed checkpoint {{seq}} of the audit trail of {{agency_name}} {{signed_at}}.

            Chain hash: {{hash}}
            Signing key: {{kid}}

            Keep this email: the signed checkpoint below lets you show later that the audit trail up to this point has not been changed.

            {{checkpoint}}

            You can verify the trail at any time:
            {{audit_link}}
            """, specific: ["seq", "hash", "signed_at", "kid", "checkpoint", "audit_link"], requiredData: ["seq", "hash"]),
        TemplateDefinition(.trainingApproved, subject: "Your training \"{{training_title}}\" was approved", body: """
            Hello {{recipient_name}},

            The training you submitted to {{agency_name}}, "{{training_title}}" completed on {{completed_on}} ({{hours}} hours), was approved and now counts in your training file.

            See your training records:
            {{training_link}}
            """, specific: ["training_title", "completed_on", "hours", "training_link"], requiredData: ["training_title", "completed_on"]),
        TemplateDefinition(.trainingRejected, subject: "Your training \"{{training_title}}\" was not approved", body: """
            Hello {{recipient_name}},

            The training you submitted to {{agency_name}}, "{{training_title}}" completed on {{completed_on}}, was not approved.

            Reason: {{reason}}

            See your training records:
            {{training_link}}
            """, specific: ["training_title", "completed_on", "reason", "training_link"],
            requiredData: ["training_title", "completed_on", "reason"]),
        TemplateDefinition(.reminder, subject: "{{item_name}} is due {{when_due}}", body: """
            Hello {{recipient_name}},

            {{item_name}} is due on {{due_date}} ({{when_due}}, {{time_zone}} time).

            Still missing: {{missing}}.

            See what is due and what you have done:
            {{officer_link}}
            """, specific: reminderPlaceholders, requiredData: ["item_name", "due_on", "person_id"],
            requiredPlaceholders: ["officer_link"]),
        TemplateDefinition(.reminderSupervisor, subject: "{{person_name}}: {{item_name}} is due {{when_due}}", body: """
            Hello {{recipient_name}},

            {{person_name}}, in a unit you supervise, has {{item_name}} due on {{due_date}} ({{when_due}}, {{time_zone}} time).

            Still missing: {{missing}}.

            See their training file:
            {{officer_link}}
            """, specific: reminderPlaceholders + ["person_name"], requiredData: ["item_name", "due_on", "person_id"],
            requiredPlaceholders: ["officer_link"]),
        TemplateDefinition(.digest, subject: "{{agency_name}}: {{digest_count}} due within 30 days or overdue", body: """
            Hello {{recipient_name}},

            As of {{as_of}}, these items of {{agency_name}} are due within 30 days or overdue:

            {{digest_items}}

            See the agency's compliance:
            {{compliance_link}}
            """, specific: ["as_of", "digest_count", "digest_items", "compliance_link"], requiredData: ["digest_items"]),
    ].map { ($0.name, $0) })

    /// What a reminder to an officer or a supervisor may show.
    private static let reminderPlaceholders = ["item_name", "due_date", "when_due", "time_zone", "missing", "officer_link"]
}
