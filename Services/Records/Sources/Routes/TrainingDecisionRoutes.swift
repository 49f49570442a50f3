import Foundation
import MusterContracts
import MusterCore
import MusterDatabase
import MusterHTTP
import MusterOutbox

/// `POST /api/v1/training-records/{id}/approve` and `/reject {"reason"}`: a coordinator
/// decides an officer's submission; the officer is told by email (through the outbox).
struct TrainingDecisionRoutes {
    let services: RecordsRuntime

    func register(on api: RouteGroup) {
        api.post("/training-records/{id}/approve", bodyLimit: 4 << 10) { request in try await decide(request, approve: true) }
        api.post("/training-records/{id}/reject", bodyLimit: 4 << 10) { request in try await decide(request, approve: false) }
    }

    private func decide(_ request: HTTPRequest, approve: Bool) async throws -> HTTPResponse {
        let id: TrainingRecordID = try request.context.parameters.id("id", what: "training record")
        var reason: String?
        if !approve {
            reason = try RequestFields(request, allowed: ["reason"]).text("reason", max: 1000)
        } else if !request.body.isEmpty {
            _ = try RequestFields(request, allowed: [])
        }
        let principal = try request.context.requireUser()
        // The address falls back to the officer's login: asked of Identity before the transaction.
        let login = try await services.db.withAgency(principal.agencyID) { tx -> (UserID?, String?) in
            guard let row = try await tx.query("""
                SELECT p.user_id, p.email FROM training_records r JOIN personnel p ON p.id = r.person_id WHERE r.id = \(id)
                """).first else { return (nil, nil) }
            return (try row.decode("user_id", as: UUID?.self).map(UserID.init), try row.decode("email", as: String?.self))
        }
        var loginUser: AgencyUser?
        if login.1 == nil, let user = login.0, !principal.roles.isDisjoint(with: RecordsAccess.writerRoles) {
            loginUser = try await IdentityUsers.find(user, agency: principal.agencyID, services: services, request: request)
        }
        return try await services.withCaller(request) { caller, tx in
            try RecordsAccess.requireWriter(caller)
            guard let head = try await TrainingRecordStore.head(id, in: tx) else { throw HTTPError.notFound("training record") }
            try RecordsAccess.checkSeparation(caller, subject: head.person)
            try TrainingRecordRoutes.expectedVersion(request, current: head.version, required: false)
            guard head.status == .pending else {
                throw HTTPError.conflict("Only a pending submission can be decided (this one is \(head.status.rawValue)).", code: "not_pending")
            }
            let before = try await TrainingRecordStore.find(id, in: tx)!
            let status: RecordStatus = approve ? .approved : .rejected
            try await tx.execute("""
                UPDATE training_records SET status = \(status.rawValue), decided_by = \(caller.user), decided_at = now(),
                    rejection_reason = \(reason), version = version + 1, updated_by = \(caller.user), updated_at = now()
                WHERE id = \(id)
                """)
            let after = try await TrainingRecordStore.find(id, in: tx)!
            try await TrainingRecordStore.appendVersion(id, action: approve ? "approved" : "rejected", by: caller.user,
                                                        before: before, after: after, reason: reason, in: tx)
            try await RecordsAudit(request, caller: caller).record(approve ? "training_record.approved" : "training_record.rejected",
                                                                   target: .records("training_record", id), before: before, after: after,
                                                                   reason: reason, in: tx)
            if let subject = try await PersonnelStore.subject(head.person, in: tx), let address = subject.email ?? loginUser?.email {
                var data = ["training_title": head.title, "completed_on": head.completedOn.description,
                            "hours": String(QuarterHours(head.quarters).hours), "recipient_name": subject.name]
                if let reason { data["reason"] = reason }
                try await Outbox.enqueue(EmailRequest(agencyID: principal.agencyID, template: approve ? "training_approved" : "training_rejected",
                                                      recipient: EmailRecipient(userID: subject.user, address: address, name: subject.name),
                                                      data: data), in: tx)
            }
            return try .json(after)
        }
    }
}
