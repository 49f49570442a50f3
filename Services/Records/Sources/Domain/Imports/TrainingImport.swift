import Foundation
import MusterCore
import MusterTime

/// `POST /imports/training-records`: one approved training record per row of
/// `badge_number,course_code,title,completed_on,hours,category_hours,outcome,score`.
/// With a `course_code`, an empty `title`, `hours` or `category_hours` is the course's.
///
/// ```swift
/// switch TrainingImport.validate(body, catalog: catalog, today: today) {
/// case .success(let rows): …          // write them all, in one transaction
/// case .failure(let problems): …     // 422 invalid_rows, nothing written
/// }
/// ```
enum TrainingImport {
    static let columns = ["badge_number", "course_code", "title", "completed_on", "hours", "category_hours", "outcome", "score"]
    static let required = ["badge_number", "completed_on", "outcome"]
    static let outcomes: Set<String> = ["completed", "passed", "failed"]
    static let maximumRows = 200_000

    struct Row: Sendable {
        let personID: UUID
        let courseID: UUID?
        let title: String
        let completedOn: CalendarDate
        let hours: QuarterHours
        let categoryHours: [String: Int]
        let outcome: String
        let score: String?
    }

    static func validate(_ bytes: [UInt8], catalog: ImportCatalog, today: CalendarDate) -> Result<[Row], ImportProblems> {
        ImportFile.read(bytes, columns: columns, required: required, maximumRows: maximumRows) { fields, row, table, problems in
            validate(fields, row: row, table: table, catalog: catalog, today: today, problems: &problems)
        }
    }

    private static func validate(_ fields: [String], row: Int, table: CSVColumns, catalog: ImportCatalog, today: CalendarDate,
                                 problems: inout ImportProblems) -> Row? {
        let before = problems.count
        func bad(_ field: String, _ message: String) { problems.add(row: row, field: field, message) }
        let badge = table.value("badge_number", in: fields)
        let person = catalog.people[badge]
        if badge.isEmpty { bad("badge_number", "Required.") } else if person == nil { bad("badge_number", "No person has badge number \(badge).") }

        let code = table.value("course_code", in: fields)
        let course = code.isEmpty ? nil : catalog.courses[code]
        if !code.isEmpty, course == nil { bad("course_code", "No course has code \(code).") }

        let title = table.value("title", in: fields).isEmpty ? course?.title ?? "" : table.value("title", in: fields)
        if title.isEmpty, course == nil, code.isEmpty { bad("title", "Required without a course_code.") }
        if title.count > 300 { bad("title", "At most 300 characters.") }

        let completedText = table.value("completed_on", in: fields)
        let completedOn = CalendarDate(completedText)
        if completedOn == nil { bad("completed_on", "Not a date (YYYY-MM-DD).") } else if let completedOn, completedOn > today {
            bad("completed_on", "After today (\(today)) in the agency's time zone.")
        }

        let hoursText = table.value("hours", in: fields)
        var hours = course?.hours
        if !hoursText.isEmpty {
            hours = QuarterHours(decimal: hoursText)
            if hours?.isRecordable != true {
                bad("hours", "Must be a multiple of 0.25, above 0 and at most 1000.")
                hours = nil
            }
        } else if course == nil, code.isEmpty {
            bad("hours", "Required without a course_code.")
        }

        let splitText = table.value("category_hours", in: fields)
        var split = course?.categoryHours ?? [:]
        if !splitText.isEmpty {
            do throws(CategorySplit.Invalid) { split = try CategorySplit.parse(splitText, known: catalog.categories) } catch {
                bad("category_hours", error.message)
            }
        }
        if let hours, split.values.reduce(0, +) > hours.value { bad("category_hours", "The categories sum to more than the hours.") }

        let outcome = table.value("outcome", in: fields)
        if !outcomes.contains(outcome) { bad("outcome", "Must be completed, passed or failed.") }

        let scoreText = table.value("score", in: fields)
        if !scoreText.isEmpty, !isScore(scoreText) { bad("score", "Must be a number from 0 to 9999.99 with at most two decimals.") }

        guard problems.count == before, let person, let completedOn, let hours else { return nil }
        return Row(personID: person, courseID: course?.id, title: title, completedOn: completedOn, hours: hours, categoryHours: split,
                   outcome: outcome, score: scoreText.isEmpty ? nil : scoreText)
    }

    /// `97`, `97.5`, `240.25`: what `numeric(6, 2)` holds, non-negative.
    static func isScore(_ text: String) -> Bool {
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = parts.first, (1...4).contains(whole.count), whole.allSatisfy(\.isASCIIDigit) else { return false }
        return parts.count == 1 || ((1...2).contains(parts[1].count) && parts[1].allSatisfy(\.isASCIIDigit))
    }
}
