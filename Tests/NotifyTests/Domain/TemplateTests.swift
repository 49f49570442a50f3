import Foundation
import MusterContracts
import MusterCore
import NotifyService
import Testing

@Suite struct TemplateTests {
    let accepted = Date(timeIntervalSince1970: 1_704_809_100)

    func inputs(_ data: [String: String], name: String? = "Alex Morgan", agency: String = "Metro PD") -> TemplateInputs {
        TemplateInputs(data: data, recipient: EmailRecipient(userID: UserID(), address: "alex@metro.example", name: name),
                       agencyName: agency, publicURL: "https://muster.example/", acceptedAt: accepted)
    }

    @Test(arguments: TemplateName.allCases)
    func everyBuiltInRendersWithOnlyItsOwnPlaceholders(_ name: TemplateName) throws {
        let definition = TemplateDefinition.builtIn(name)
        let offered = Set(definition.placeholders)
        for placeholder in definition.subject.placeholders + definition.body.placeholders {
            #expect(offered.contains(placeholder), "\(name): {{\(placeholder)}}")
        }
        for placeholder in definition.placeholders { #expect(PlaceholderCatalog.all[placeholder] != nil) }
        let email = TemplateRenderer.render(definition, override: nil,
                                            inputs: .sample(agencyName: "Metro PD", publicURL: "https://muster.example"))
        #expect(!email.subject.isEmpty)
        #expect(!email.text.contains("{{") && !email.html.contains("{{"))
        #expect(email.text.contains("Alex Morgan"))
        #expect(email.html.contains("Metro PD"))
        // The built-in texts pass the same validation as an admin's override.
        _ = try TemplateOverride.validated(subject: definition.subject.render { "{{\($0)}}" },
                                           body: definition.body.render { "{{\($0)}}" }, for: definition)
    }

    @Test func linksComeFromThePublicURLWithTheTokenEncoded() {
        let email = TemplateRenderer.render(.builtIn(.passwordReset), override: nil,
                                            inputs: inputs(["token": "a+b/c=d&e", "expires_at": "2024-01-09T15:05:00Z"]))
        #expect(email.text.contains("https://muster.example/reset-password?token=a%2Bb%2Fc%3Dd%26e\n"))
        #expect(email.text.contains("expires on 2024-01-09 at 15:05 UTC."))
        #expect(email.html.contains("href=\"https://muster.example/reset-password?token=a%2Bb%2Fc%3Dd%26e\""))
        #expect(email.html.contains(">Choose a new password</a>"))
        #expect(email.subject == "Reset your Muster password")
    }

    @Test func dataIsEscapedInHTMLAndKeptOutOfHeaders() {
        let hostile = "<script>alert(1)</script> & \"quotes\""
        let email = TemplateRenderer.render(
            .builtIn(.renewalReminder), override: nil,
            inputs: inputs(["certification_name": hostile + "\r\nBcc: evil@x.example", "expires_on": "2025-03-31"],
                           name: "<b>Alex</b>", agency: "Metro & County <PD>"))
        #expect(!email.html.contains("<script>"))
        #expect(email.html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;"))
        #expect(email.html.contains("Hello &lt;b&gt;Alex&lt;/b&gt;,"))
        #expect(email.html.contains("Metro &amp; County &lt;PD&gt;"))
        #expect(!email.subject.contains("\r") && !email.subject.contains("\n"))
        #expect(email.text.contains("Hello <b>Alex</b>,"))
    }

    /// The data Identity and Audit send today.
    @Test func theSendingServicesDataRenders() {
        let invitation = TemplateRenderer.render(.builtIn(.invitation), override: nil, inputs: inputs(
            ["agency_name": "Metro PD", "agency_slug": "metro-pd", "recipient_name": "Alex", "token": "mit.abc", "expires_in_hours": "72",
             "link": "https://elsewhere.example/x"]))
        #expect(invitation.text.contains("https://muster.example/accept-invitation?token=mit.abc\n"))
        #expect(invitation.text.contains("The invitation expires in 72 hours."))
        #expect(!invitation.text.contains("elsewhere"))
        let reset = TemplateRenderer.render(.builtIn(.passwordReset), override: nil, inputs: inputs(["token": "t", "expires_in_minutes": "30"]))
        #expect(reset.text.contains("expires in 30 minutes."))
        let locked = TemplateRenderer.render(.builtIn(.accountLocked), override: nil, inputs: inputs(["locked_email": "sam@metro.example", "failures": "10"]))
        #expect(locked.subject == "An account of Metro PD was locked")
        #expect(locked.text.contains("The account sam@metro.example of Metro PD on Muster was locked after 10 failed sign-in attempts in a row."))
        #expect(locked.text.contains("https://muster.example/admin/users"))
        let checkpoint = TemplateRenderer.render(.builtIn(.auditCheckpoint), override: nil, inputs: inputs(
            ["seq": "42", "hash": "ab12", "signed_at": "2024-01-09T14:05:00Z", "kid": "k1", "checkpoint": "{\"seq\":42}"]))
        #expect(checkpoint.subject == "Audit checkpoint 42 for Metro PD")
        #expect(checkpoint.text.contains("Muster signed checkpoint 42 of the audit trail of Metro PD on 2024-01-09 at 14:05 UTC."))
        #expect(checkpoint.text.contains("{\"seq\":42}"))
        #expect(checkpoint.html.contains("{&quot;seq&quot;:42}"))
    }

    @Test func fallbacksFillOptionalData() {
        let email = TemplateRenderer.render(.builtIn(.passwordChanged), override: nil, inputs: inputs([:], name: nil))
        #expect(email.text.hasPrefix("Hello there,"))
        #expect(email.text.contains("was changed on 2024-01-09 at 14:05 UTC."))
        #expect(email.text.contains("https://muster.example/forgot-password"))
    }

    @Test func overridesAreValidatedOnSave() throws {
        let reset = TemplateDefinition.builtIn(.passwordReset)
        let problems = { (subject: String, body: String) -> [String] in
            do {
                _ = try TemplateOverride.validated(subject: subject, body: body, for: reset)
                return []
            } catch let error as TemplateOverrideProblems { return error.problems } catch { return ["\(error)"] }
        }
        #expect(problems("New password for {{agency_name}}", "Hi {{recipient_name}}: {{reset_link}}") == [])
        let unknown = problems("Hi {{first_name}}", "{{reset_link}} {{secret}}")
        #expect(unknown.count == 1)
        #expect(unknown[0].contains("{{first_name}}, {{secret}}"))
        #expect(problems("Hi", "No link here").first?.contains("must keep {{reset_link}}") == true)
        #expect(problems("Hi {{agency_name", "{{reset_link}}").first?.contains("not closed") == true)
        #expect(problems("Hi {{Agency Name}}", "{{reset_link}}").first?.contains("not a placeholder name") == true)
        #expect(problems("Two\nlines", "{{reset_link}}") == ["The subject must be one line."])
        #expect(problems(" ", "{{reset_link}}") == ["The subject is empty."])
        #expect(problems(String(repeating: "x", count: 201), "{{reset_link}}").count == 1)
    }

    @Test func anOverrideRendersBothPartsFromItsText() throws {
        let override = try TemplateOverride.validated(
            subject: "{{agency_name}}: new password",
            body: "Dear {{recipient_name}},\n\nUse this link:\n{{reset_link}}\n\nOr sign in at {{sign_in_link}} & ask us.\n",
            for: .builtIn(.passwordReset))
        let email = TemplateRenderer.render(.builtIn(.passwordReset), override: override, inputs: inputs(["token": "t1"]))
        #expect(email.subject == "Metro PD: new password")
        #expect(email.text == "Dear Alex Morgan,\n\nUse this link:\nhttps://muster.example/reset-password?token=t1\n\n"
            + "Or sign in at https://muster.example/ & ask us.\n")
        #expect(email.html.contains("<p style=\"margin:0 0 16px\">Dear Alex Morgan,</p>"))
        #expect(email.html.contains(">Choose a new password</a>"))
        #expect(email.html.contains("Or sign in at <a href=\"https://muster.example/\" style=\"color:#1d4ed8\">https://muster.example/</a> &amp; ask us."))
    }

    @Test func templateTextParsing() throws {
        let text = try TemplateText(parsing: "A {{ x }} b {{y_1}}{{x}} }} {")
        #expect(text.placeholders == ["x", "y_1"])
        #expect(text.render { "<\($0)>" } == "A <x> b <y_1><x> }} {")
        #expect(throws: TemplateTextError.self) { try TemplateText(parsing: "{{x") }
        #expect(throws: TemplateTextError.self) { try TemplateText(parsing: "{{}}") }
    }
}
