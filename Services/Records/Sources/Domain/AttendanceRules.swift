import MusterHTTP

/// Checks an event's attendance sheet before anything is written: every bad row is
/// named, so the coordinator fixes the sheet once.
///
/// ```swift
/// let problems = AttendanceRules.problems(rows, roster: roster, instructors: teachers, caller: me, certified: certified)
/// problems.isEmpty   // else 422 invalid_rows with these
/// ```
enum AttendanceRules {
    struct Row: Sendable {
        let person: PersonID?
        let outcome: AttendanceOutcome?
        let quarters: Int?
        let problem: String?
    }

    struct Problem: Sendable, Equatable, Encodable {
        /// 0-based index into `attendance`.
        let row: Int
        let personID: String?
        let message: String
    }

    /// The problems of `rows` (each person of the roster at most once, nobody else;
    /// instructors and the caller's own person never attend; instructors certified when required).
    static func problems(_ rows: [Row], roster: Set<PersonID>, instructors: Set<PersonID>, callerPerson: PersonID?,
                         instructorsCertified: Bool) -> [Problem] {
        var problems: [Problem] = []
        var seen: Set<PersonID> = []
        for (index, row) in rows.enumerated() {
            func add(_ message: String) { problems.append(Problem(row: index, personID: row.person?.description, message: message)) }
            if let problem = row.problem { add(problem); continue }
            guard let person = row.person else { add("person_id is missing."); continue }
            if !seen.insert(person).inserted { add("The person is listed twice.") }
            if !roster.contains(person) { add("The person is not on the event's roster.") }
            if instructors.contains(person) { add("An instructor of the event cannot attend it.") }
            if person == callerPerson {
                add("separation_of_duties: you may not record training of the person linked to your own login.")
            }
        }
        if !instructorsCertified {
            problems.append(Problem(row: -1, personID: nil,
                                    message: "instructor_not_certified: an instructor holds no valid certification the course requires on ends_on."))
        }
        return problems
    }
}
