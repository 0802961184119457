import Foundation
import OutreachCore
import OutreachEngine
import OutreachStore
import Postgres
import TestSupport

/// A migrated throwaway database with one workspace, for admin-command tests.
struct AdminFixture {
    let url: String
    let db: PostgresConnection
    let workspace: Workspace

    static func make(timezone: String = "Europe/Rome") async throws -> AdminFixture {
        let url = try await TestDatabase.create()
        let db = try await PostgresConnection.connect(url)
        _ = try await Migrator().migrate(on: db)
        let workspace = try await WorkspaceStore().create(name: "acme", timezone: timezone, on: db)
        return AdminFixture(url: url, db: db, workspace: workspace)
    }

    func close() async {
        db.close()
        await TestDatabase.drop(url)
    }

    /// Runs `outreach ARGS…` against this database.
    func run(_ arguments: [String], environment: [String: String] = [:]) async throws -> OutreachProcess.Result {
        var env = environment
        env["DATABASE_URL"] = url
        return try await OutreachProcess.run(arguments, environment: env)
    }

    /// Imports contacts from CSV text through the service.
    @discardableResult
    func importCSV(_ text: String) async throws -> ContactImportService.Report {
        try await ContactImportService().importCSV(Array(text.utf8), workspace: workspace, actor: "test", on: db)
    }

    func addTemplate(_ name: String, _ channel: Channel) async throws {
        let draft = TemplateDraft(name: name, channel: channel, subject: channel == .email ? "Hi {{name}}" : nil,
                                  body: "Hello {{name}}", textBody: nil)
        _ = try await TemplateService().add(draft, workspace: workspace, on: db)
    }

    /// A one-step-per-channel sequence over templates it creates.
    @discardableResult
    func makeSequence(_ name: String = "intro", firstDelay: String = "0h") async throws -> SequenceRef {
        try await addTemplate("intro-email", .email)
        try await addTemplate("followup-wa", .whatsapp)
        let definition = SequenceDefinition(name: name, steps: [
            .init(channel: .email, template: "intro-email", delay: firstDelay, condition: .always),
            .init(channel: .whatsapp, template: "followup-wa", delay: "48h", condition: .noReply),
        ])
        return try await SequenceService().create(definition, workspace: workspace, on: db)
    }

    func count(_ sql: String, _ binds: [any PostgresEncodable] = []) async throws -> Int {
        try await db.query(sql, binds)[0].decode(0, as: Int.self)
    }

    static let header = "entity_type,entity_id,name,company,email,phone,telegram_chat_id,status,timezone"
}

/// A temporary file, removed by the caller.
func temporaryFile(_ contents: String, ext: String) throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("outreach-admin-\(UUID().uuidString).\(ext)").path
    try contents.write(toFile: path, atomically: true, encoding: .utf8)
    return path
}
