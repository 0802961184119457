import Foundation
import HTTPTypes
import Hummingbird
import Logging
import OutreachCore
import OutreachCrypto
import OutreachEngine
import OutreachStore
import Postgres

/// `POST /v1/assistant`: `{"message": TEXT, "workspace": NAME_OR_ID?}` with
/// `Authorization: Bearer TOKEN`. `OUTREACH_ADMIN_TOKEN` acts on any workspace (which it must
/// name); a per-workspace token from `outreach_api_tokens` acts on its own workspace only, and
/// naming another one is a 403 that says nothing about it.
struct AssistantRoutes: Sendable {
    static let maxBodyBytes = 256 * 1024

    let pool: PostgresPool
    let adminToken: String?
    let service: AssistantService
    let logger: Logger

    struct Body: Decodable {
        var message: String
        var workspace: String?
    }

    func register(on router: Router<BasicRequestContext>) {
        router.post("/v1/assistant") { request, _ in await handle(request) }
    }

    func handle(_ request: Request) async -> Response {
        var request = request
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") else {
            return Responses.unauthorized
        }
        let token = String(header.dropFirst("bearer ".count)).trimmingCharacters(in: .whitespaces)
        guard !token.isEmpty else { return Responses.unauthorized }
        let body: Body
        do {
            let buffer = try await request.collectBody(upTo: Self.maxBodyBytes)
            body = try JSONDecoder().decode(Body.self, from: Data(buffer.readableBytesView))
        } catch {
            return Responses.badRequest("expected JSON {\"message\": TEXT, \"workspace\": NAME} of at most \(Self.maxBodyBytes) bytes")
        }
        do {
            return try await pool.withConnection { db in
                let workspace: Workspace
                let role: AssistantRole
                if let adminToken, !adminToken.isEmpty, ConstantTime.equals(Array(token.utf8), Array(adminToken.utf8)) {
                    guard let name = body.workspace, !name.isEmpty else { return Responses.badRequest("workspace is required") }
                    do { workspace = try await WorkspaceStore().resolve(name, on: db) } catch let error as OutreachError where error.code == .notFound {
                        return Responses.json(.notFound, #"{"error":"no such workspace"}"#)
                    }
                    role = .admin
                } else {
                    guard let found = try await AssistantStore().lookupToken(token, on: db) else { return Responses.unauthorized }
                    let own = try await WorkspaceStore().resolve(found.workspace.uuidString, on: db)
                    if let name = body.workspace, !name.isEmpty, name != own.name,
                       UUID(uuidString: name).map({ $0 != own.id }) ?? true {
                        return Responses.json(.forbidden, #"{"error":"forbidden"}"#)
                    }
                    workspace = own
                    role = found.role == .admin ? .admin : .reseller
                }
                let response = try await service.respond(message: body.message, workspace: workspace, role: role, on: db)
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                return Responses.json(.ok, String(decoding: try encoder.encode(response), as: UTF8.self))
            }
        } catch let error as OutreachError where error.code == .notFound || error.code == .badInput {
            return Responses.badRequest(error.message)
        } catch {
            logger.error("assistant request failed", metadata: ["error": "\(type(of: error))"])
            return Responses.internalError
        }
    }
}
