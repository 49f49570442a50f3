import MusterCore
import MusterTime

/// The transcript as one printable HTML page: a style sheet for screen and print (A4/Letter,
/// tables that do not break rows across pages), no script, no external resource, and every
/// value HTML-escaped (``HTMLText``), so a title typed as markup prints as text.
///
/// ```swift
/// let page = TranscriptHTML.render(transcript, agencyName: "Metro PD")   // "<!DOCTYPE html>…"
/// ```
enum TranscriptHTML {
    static func render(_ t: Transcript, agencyName: String) -> String {
        let person = t.person
        let name = "\(person.lastName), \(person.firstName)"
        var html = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <title>\(e("Training file — \(name) — \(t.printedOn)"))</title>
            <style>\(style)</style></head>
            <body>
            <header><p class="agency">\(e(agencyName))</p><h1>Training file: \(e(name))</h1>
            <p>Printed on \(e(t.printedOn.description)) (generated \(e(t.generatedAt))) · records \(e(range(t)))</p></header>
            """
        html += section("Person", table(["Id", "Badge", "Rank", "Unit", "Hired", "Status", "Licence"], [[
            person.id.description, person.badgeNumber, person.rank ?? "", person.unit ?? "", person.hireDate.description,
            person.status + (person.separatedOn.map { " (\($0))" } ?? ""), person.licenseNumber ?? "",
        ]]))
        html += section("Training records (\(t.records.count), \(t.totalHours) h)", table(
            ["Record id", "Completed", "Title", "Course", "Outcome", "Hours", "By category"],
            t.records.map { record in
                [record.id.description, record.completedOn.description, record.title, record.courseCode ?? "", record.outcome,
                 record.hours.description, record.categoryHours.map { "\($0.code) \($0.hours)" }.joined(separator: ", ")]
            }) + table(["Category", "Hours"], t.hoursByCategory.map { [$0.code, $0.hours.description] } + [["Total", t.totalHours.description]]))
        html += section("Certifications", table(["Id", "Type", "Number", "Issued", "Expires"], t.certifications.map {
            [$0.id.description, "\($0.typeName) (\($0.typeCode))", $0.number ?? "", $0.issuedOn.description, $0.expiresOn?.description ?? "never"]
        }))
        html += section("Policy acknowledgements", table(["Policy", "Version", "Document SHA-256", "Acknowledged", "From"], t.acknowledgements.map {
            ["\($0.policyTitle) (\($0.policyCode))", String($0.version), $0.sha256, $0.acknowledgedAt, $0.clientAddress ?? ""]
        }, code: [2]))
        html += section("Waivers", table(["Requirement", "Covers", "Reason", "Granted", "Revoked"], t.waivers.map {
            [$0.requirementCode, $0.periodEndsOn.map { "period ending \($0)" } ?? $0.until.map { "until \($0)" } ?? "", $0.reason,
             $0.createdAt, $0.revokedAt ?? ""]
        }))
        let compliance = t.compliance
        html += section("Compliance on \(compliance.asOf): \(compliance.status.rawValue)", table(
            ["Requirement", "Status", "Due", "Required h", "Completed h", "Waiver"], compliance.requirements.map {
                ["\($0.name) (\($0.code))", $0.status.rawValue, $0.dueOn?.description ?? "", $0.requiredHours?.description ?? "",
                 $0.completedHours?.description ?? "", $0.waiver == nil ? "" : "waived"]
            }))
        html += section("Audit proof", proof(t.auditProof))
        html += "\n</body></html>\n"
        return html
    }

    private static func e(_ text: String) -> String { HTMLText.escape(text) }

    private static func range(_ t: Transcript) -> String {
        switch (t.from, t.to) {
        case (nil, nil): "of every date"
        case (let from?, nil): "from \(from)"
        case (nil, let to?): "up to \(to)"
        case (let from?, let to?): "from \(from) to \(to)"
        }
    }

    private static func section(_ title: String, _ body: String) -> String {
        "\n<section><h2>\(e(title))</h2>\n\(body)</section>"
    }

    /// A table of escaped cells; the columns in `code` are set in monospace (hashes, signatures).
    private static func table(_ header: [String], _ rows: [[String]], code: Set<Int> = []) -> String {
        guard !rows.isEmpty else { return "<p class=\"none\">None.</p>\n" }
        var html = "<table><thead><tr>" + header.map { "<th>\(e($0))</th>" }.joined() + "</tr></thead><tbody>\n"
        for row in rows {
            html += "<tr>" + row.enumerated().map { index, cell in
                code.contains(index) ? "<td><code>\(e(cell))</code></td>" : "<td>\(e(cell))</td>"
            }.joined() + "</tr>\n"
        }
        return html + "</tbody></table>\n"
    }

    private static func proof(_ proof: Transcript.AuditProof) -> String {
        guard let checkpoint = proof.checkpoint else {
            return "<p>Audit has signed no checkpoint of this agency's trail yet; ask an admin to sign one (POST /api/v1/audit/checkpoints) and print again.</p>\n"
        }
        var html = "<dl class=\"proof\">"
        for (label, value) in [("Sequence", String(checkpoint.seq)), ("Chain hash (SHA-256)", checkpoint.hash),
                               ("Signature (Ed25519)", checkpoint.signature), ("Key id", checkpoint.kid),
                               ("Signed at", checkpoint.signedAt), ("Kind", checkpoint.kind)] {
            html += "<dt>\(e(label))</dt><dd><code>\(e(value))</code></dd>"
        }
        html += "</dl>\n<p>How to check it:</p><ol>" + proof.howToVerify.map { "<li>\(e($0))</li>" }.joined()
        return html + "<li>Public keys: \(e(proof.keysURL))</li></ol>\n"
    }

    private static let style = """
        body{font:11pt/1.4 Georgia,serif;color:#111;margin:2em}h1{font-size:16pt;margin:.2em 0}h2{font-size:12pt;border-bottom:1px solid #444;margin-top:1.4em}\
        .agency{font-weight:bold;color:#444;margin:0}table{border-collapse:collapse;width:100%;margin:.4em 0;font-size:9.5pt}\
        th,td{border:1px solid #999;padding:.2em .4em;text-align:left;vertical-align:top}th{background:#eee}code{font:8.5pt monospace;word-break:break-all}\
        dl.proof dt{font-weight:bold}dl.proof dd{margin:0 0 .4em 1em}.none{color:#555}\
        @media print{body{margin:0}@page{size:auto;margin:15mm}tr,dl.proof{page-break-inside:avoid}thead{display:table-header-group}h2{page-break-after:avoid}}
        """
}
