import Foundation
import OutreachCore
import OutreachEngine
import OutreachStore
import Postgres
import TestSupport

/// A migrated throwaway database with workspace "acme" (Europe/Rome): four contacts, three
/// templates, the "intro" sequence; and workspace "other" with a contact acme must never see.
struct AssistantFixture {
    static let providers = ["RESEND_API_KEY": "re_test", "RESEND_FROM": "Acme <hi@acme.test>",
                            "WHATSAPP_ACCESS_TOKEN": "wa", "WHATSAPP_PHONE_NUMBER_ID": "123456",
                            "TELEGRAM_BOT_TOKEN": "tg"]

    let url: String
    let db: PostgresConnection
    let workspace: Workspace
    let other: Workspace

    static func with<T>(_ body: (AssistantFixture) async throws -> T) async throws -> T {
        let url = try await TestDatabase.create()
        let db = try await PostgresConnection.connect(url)
        do {
            _ = try await Migrator().migrate(on: db)
            let workspace = try await WorkspaceStore().create(name: "acme", timezone: "Europe/Rome", on: db)
            let other = try await WorkspaceStore().create(name: "other", timezone: "UTC", on: db)
            let fixture = AssistantFixture(url: url, db: db, workspace: workspace, other: other)
            try await fixture.seed()
            let value = try await body(fixture)
            db.close()
            await TestDatabase.drop(url)
            return value
        } catch {
            db.close()
            await TestDatabase.drop(url)
            throw error
        }
    }

    func seed() async throws {
        let header = "entity_type,entity_id,name,company,email,phone,telegram_chat_id,status,timezone,consent"
        let csv = """
            \(header)
            lead,1,Giulia Rossi,Farmacia Rossi,giulia@farmacia.test,,,new,,email;whatsapp
            prospect,2,Marco Neri,TechShop,marco@techshop.test,,,active,,email
            lead,3,Mario Rossi,,mario@example.test,,,new,,
            lead,4,Luca Bianchi,Caffè Città,luca@caffe.test,,,contacted,,

            """
        _ = try await ContactImportService().importCSV(Array(csv.utf8), workspace: workspace, actor: "test", on: db)
        let otherCSV = "\(header)\nlead,9,Olga Verdi,Ottica Verdi,olga@ottica.test,,,new,,email\n"
        _ = try await ContactImportService().importCSV(Array(otherCSV.utf8), workspace: other, actor: "test", on: db)
        for (name, channel) in [("followup", Channel.email), ("intro-email", .email), ("followup-wa", .whatsapp)] {
            let draft = TemplateDraft(name: name, channel: channel, subject: channel == .email ? "Hi {{name}}" : nil,
                                      body: "Hello {{name}}", textBody: nil)
            _ = try await TemplateService().add(draft, workspace: workspace, on: db)
        }
        _ = try await SequenceService().create(SequenceDefinition(name: "intro", steps: [
            .init(channel: .email, template: "intro-email", delay: "0h", condition: .always),
            .init(channel: .whatsapp, template: "followup-wa", delay: "48h", condition: .noReply),
        ]), workspace: workspace, on: db)
    }

    func ask(_ message: String, role: AssistantRole = .admin, environment: [String: String] = AssistantFixture.providers,
             in workspace: Workspace? = nil) async throws -> AssistantResponse {
        try await AssistantService(environment: environment).respond(message: message, workspace: workspace ?? self.workspace,
                                                                     role: role, on: db)
    }

    func enable(_ channel: Channel, dailyLimit: Int? = nil) async throws {
        _ = try await ChannelService().configure(channel, enabled: true, dailyLimit: dailyLimit, from: nil, phoneNumberID: nil,
                                                 environment: Self.providers, workspace: workspace, on: db)
    }

    func count(_ sql: String) async throws -> Int {
        try await db.query(sql)[0].decode(0, as: Int.self)
    }

    var sendJobs: Int { get async throws { try await count("SELECT count(*) FROM outreach_jobs WHERE kind = 'send'") } }
    var enrollments: Int { get async throws { try await count("SELECT count(*) FROM outreach_enrollments") } }

    /// Rows of every table the assistant may write, to prove a refusal wrote nothing.
    func snapshot() async throws -> [Int] {
        var counts: [Int] = []
        for table in ["outreach_jobs", "outreach_enrollments", "outreach_channel_config", "outreach_executions", "outreach_consent"] {
            counts.append(try await count("SELECT count(*) FROM \(table)"))
        }
        counts.append(try await count("SELECT count(*) FROM outreach_channel_config WHERE enabled"))
        return counts
    }
}
