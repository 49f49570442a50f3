import Foundation
import MusterContracts
import MusterCore
import MusterHTTP
import MusterService

/// Evidence: `PUT {owner}/{id}/attachments` takes the raw file (PDF, JPEG or PNG,
/// ≤ 10 MiB, its first bytes must match the declared `Content-Type`) and answers
/// `201 {"id","file_name","content_type","size","sha256"}`; `GET …/attachments/{aid}`
/// returns the original bytes as a download. Owners: training records,
/// certifications, expenses (receipts). Uploads need a coordinator or admin, or the
/// officer whose own submission waits for approval (its certificate);
/// downloads follow who may read the owner's person; every download is audited.
struct AttachmentRoutes {
    static let maximumSize = 10 << 20

    let services: RecordsRuntime
    let store: AttachmentStore

    func register(on api: RouteGroup) {
        for owner in AttachmentOwner.allCases {
            api.put("\(owner.path)/{id}/attachments", bodyLimit: Self.maximumSize) { request in try await upload(request, owner) }
            api.get("\(owner.path)/{id}/attachments/{aid}") { request in try await download(request, owner) }
        }
    }

    private func upload(_ request: HTTPRequest, _ owner: AttachmentOwner) async throws -> HTTPResponse {
        guard let ownerID = request.parameter("id").flatMap(UUID.init(uuidString:)) else { throw HTTPError.notFound(owner.noun) }
        guard let type = request.headers["Content-Type"].flatMap({ AttachmentType(contentType: $0) }) else {
            throw HTTPError(.unsupportedMediaType, code: "unsupported_media_type",
                            message: "Content-Type must be application/pdf, image/jpeg or image/png.")
        }
        let bytes = request.body
        guard !bytes.isEmpty else { throw HTTPError.badRequest("The file is empty.", code: "empty_file") }
        guard type.matches(bytes) else {
            throw HTTPError(.unsupportedMediaType, code: "content_type_mismatch",
                            message: "The file's first bytes are not those of \(type.rawValue).")
        }
        let fileName = AttachmentFileName.from(contentDisposition: request.headers["Content-Disposition"]) ?? type.defaultFileName
        return try await services.withCaller(request) { caller, tx in
            let found = try await AttachmentStore.owner(owner, ownerID, in: tx)
            // An officer's own submission takes its certificate while it waits for approval; all else is staff's.
            if found.pending, found.person != nil, found.person == caller.ownPerson {
                _ = try RecordsAccess.requireSubmitter(caller)
            } else {
                try RecordsAccess.requireWriter(caller)
                guard found.exists else { throw HTTPError.notFound(owner.noun) }
                if let person = found.person, owner != .expense { try RecordsAccess.checkSeparation(caller, subject: person) }
            }
            return try await Idempotency.once(request, actor: caller.user.uuid, in: tx) {
                let user = try request.context.requireUser()
                let stored = try await store.insert(bytes, type: type, fileName: fileName, owner: owner, ownerID: ownerID,
                                                    by: caller.user, agency: user.agencyID, in: tx)
                try await RecordsAudit(request, caller: caller).record(
                    "attachment.created", target: .records("attachment", stored.id),
                    before: nil, after: ["owner_kind": .string(owner.rawValue), "owner_id": .string(ownerID.uuidString.lowercased()),
                                         "file_name": .string(stored.fileName), "content_type": .string(stored.contentType),
                                         "size": .number(Double(stored.size)), "sha256": .string(stored.sha256)], in: tx)
                return try .json(stored, status: .created)
            }
        }
    }

    private func download(_ request: HTTPRequest, _ owner: AttachmentOwner) async throws -> HTTPResponse {
        guard let ownerID = request.parameter("id").flatMap(UUID.init(uuidString:)) else { throw HTTPError.notFound(owner.noun) }
        guard let id = request.parameter("aid").flatMap(UUID.init(uuidString:)) else { throw HTTPError.notFound("attachment") }
        return try await services.withCaller(request) { caller, tx in
            let found = try await AttachmentStore.owner(owner, ownerID, in: tx)
            guard found.exists else { throw HTTPError.notFound(owner.noun) }
            if let person = found.person {
                _ = try await PersonnelStore.readable(person, caller: caller, action: "personnel.file.read", request: request, in: tx)
            } else if !RecordsAccess.readsEveryone(caller) {
                throw HTTPError.forbidden("Your role does not allow this.")
            }
            let user = try request.context.requireUser()
            guard let (file, bytes) = try await store.read(id, owner: owner, ownerID: ownerID, agency: user.agencyID, in: tx) else {
                throw HTTPError.notFound("attachment")
            }
            try await RecordsAudit(request, caller: caller).record("attachment.downloaded", target: .records("attachment", id),
                                                                  reason: "\(owner.rawValue) \(ownerID.uuidString.lowercased())", in: tx)
            var headers = HTTPHeaders()
            headers.add("Content-Type", file.contentType)
            headers.add("Content-Disposition", Self.disposition(file.fileName))
            headers.add("X-Content-Type-Options", "nosniff")
            return HTTPResponse(status: .ok, headers: headers, body: .bytes(bytes))
        }
    }

    /// `attachment; filename="…"` (ASCII stand-in) plus the exact name as RFC 5987 `filename*`.
    static func disposition(_ name: String) -> String {
        let ascii = String(String.UnicodeScalarView(name.unicodeScalars.map { $0.isASCII && $0 != "\"" && $0 != "\\" && $0.value >= 0x20 ? $0 : "_" }))
        let encoded = name.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? ascii
        return "attachment; filename=\"\(ascii)\"; filename*=UTF-8''\(encoded)"
    }
}
