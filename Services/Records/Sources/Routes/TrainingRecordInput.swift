import Foundation
import MusterContracts
import MusterCore
import MusterDatabase
import MusterHTTP
import MusterTime

/// The fields of a training record as a body gives them, checked against the catalog,
/// the agency's today and the instructor rules; with a course, `title`, `hours` and
/// `category_hours` default to the course's.
struct TrainingRecordInput: Sendable {
    static let fields: Set<String> = ["person_id", "course_id", "title", "completed_on", "hours", "category_hours", "outcome",
                                      "score", "instructor_person_id", "notes"]

    var course: CourseID?
    var title: String?
    var completedOn: CalendarDate?
    var hours: Double?
    var split: [String: Double]?
    var outcome: RecordOutcome?
    var score: Double?
    var instructor: PersonID?
    var notes: String?
    /// Optional fields a correction sets to `null` (`course_id`, `score`, `instructor_person_id`, `notes`, `category_hours`).
    var cleared: Set<String> = []

    init(_ body: RequestFields, creating: Bool) throws(HTTPError) {
        try body.rejectNull(["title", "completed_on", "hours", "outcome"])
        cleared = Set(["course_id", "score", "instructor_person_id", "notes", "category_hours"].filter(body.isNull))
        course = try body.id("course_id", required: false)
        title = try body.text("title", required: false, max: 300)
        completedOn = try body.date("completed_on", required: creating)
        hours = try body.number("hours", required: false)
        split = try body.numbers("category_hours")
        outcome = try body.choice("outcome", required: false, as: RecordOutcome.self)
        score = try body.score()
        instructor = try body.id("instructor_person_id", required: false)
        notes = try body.text("notes", required: false, max: 4000)
    }

    /// What is written: every default applied, every rule checked.
    struct Resolved: Sendable {
        let course: CourseID?
        let title: String
        let completedOn: CalendarDate
        let quarters: Int
        let split: [String: Int]
        let outcome: RecordOutcome
        let score: Double?
        let instructor: PersonID?
        let notes: String?
    }

    /// Resolves against `current` (a correction keeps what the body does not send).
    func resolve(person: PersonID, current: Resolved?, in tx: Transaction) async throws -> Resolved {
        let courseID = course ?? (cleared.contains("course_id") ? nil : current?.course)
        var course: CatalogStore.Course?
        if let courseID {
            course = try await CatalogStore.course(courseID, in: tx)
            guard course != nil else { throw HTTPError.unprocessable("course_id names no course.", code: "unknown_course") }
        }
        guard let title = title ?? (self.course != nil ? course?.title : nil) ?? current?.title ?? course?.title else {
            throw HTTPError.badRequest("Missing field 'title' (or a course_id).", code: "missing_field")
        }
        let quarters: Int
        if let hours { quarters = try QuarterHours.recordable(hours).value } else if self.course != nil, let course { quarters = course.quarters }
        else if let current { quarters = current.quarters } else if let course { quarters = course.quarters }
        else { throw HTTPError.badRequest("Missing field 'hours' (or a course_id).", code: "missing_field") }
        let split: [String: Int]
        if let given = self.split {
            split = try QuarterHours.split(given, totalQuarters: quarters, known: try await CatalogStore.categoryCodes(in: tx))
        } else if cleared.contains("category_hours") {
            split = [:]
        } else {
            split = (self.course != nil ? course?.categoryQuarters : nil) ?? current?.split ?? course?.categoryQuarters ?? [:]
            guard split.values.reduce(0, +) <= quarters else {
                throw HTTPError.unprocessable("category_hours add up to more than hours.", code: "invalid_category_hours")
            }
        }
        let completedOn = self.completedOn ?? current!.completedOn
        let today = try await RecordsSettings.timeZone(in: tx).today()
        guard completedOn <= today else {
            throw HTTPError.unprocessable("completed_on is after today (\(today)) in the agency's time zone.", code: "invalid_completed_on")
        }
        let instructor = self.instructor ?? (cleared.contains("instructor_person_id") ? nil : current?.instructor)
        if let instructor {
            guard instructor != person else {
                throw HTTPError.unprocessable("The instructor cannot be the person trained.", code: "instructor_is_subject")
            }
            guard try await PersonnelStore.subject(instructor, in: tx) != nil else {
                throw HTTPError.unprocessable("instructor_person_id names no person.", code: "unknown_instructor")
            }
            if let type = course?.instructorType, try await !CatalogStore.holds(instructor, type: type, on: completedOn, in: tx) {
                throw HTTPError.unprocessable("The instructor holds no valid certification this course requires on \(completedOn).",
                                              code: "instructor_not_certified")
            }
        }
        return Resolved(course: courseID, title: title, completedOn: completedOn, quarters: quarters, split: split,
                        outcome: outcome ?? current?.outcome ?? .completed,
                        score: score ?? (cleared.contains("score") ? nil : current?.score), instructor: instructor,
                        notes: notes ?? (cleared.contains("notes") ? nil : current?.notes))
    }
}

extension TrainingRecordInput.Resolved {
    /// The current values of a stored record.
    static func stored(_ id: TrainingRecordID, in tx: Transaction) async throws -> TrainingRecordInput.Resolved? {
        guard let row = try await tx.query("""
            SELECT course_id, title, completed_on, quarter_hours, category_hours, outcome, score::float8 AS score, instructor_person_id, notes
            FROM training_records WHERE id = \(id)
            """).first else { return nil }
        return .init(course: try row.decode("course_id", as: UUID?.self).map(CourseID.init), title: try row.decode("title", as: String.self),
                     completedOn: try row.decode("completed_on", as: CalendarDate.self), quarters: try row.decode("quarter_hours", as: Int.self),
                     split: try row.decode("category_hours", as: JSONB<[String: Int]>.self).value,
                     outcome: RecordOutcome(rawValue: try row.decode("outcome", as: String.self)) ?? .completed,
                     score: try row.decode("score", as: Double?.self),
                     instructor: try row.decode("instructor_person_id", as: UUID?.self).map(PersonID.init),
                     notes: try row.decode("notes", as: String?.self))
    }
}
