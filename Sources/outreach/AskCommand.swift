import ArgumentParser
import Foundation
import OutreachCore
import OutreachEngine
import OutreachStore
import Postgres

/// `outreach ask [--workspace W] [--role admin|reseller] [--json] "MESSAGE"` (SPEC §9).
struct AskCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ask", abstract: "Chat control: ask in Italian or English, e.g. \"Stato outreach Farmacia Rossi?\".")

    @Option(help: "Workspace name or id (an admin with one workspace may omit it).") var workspace: String?
    @Option(help: "admin (any workspace) or reseller (its own workspace only).") var role: String = "admin"
    @OptionGroup var output: OutputOptions
    @Argument(help: "The message.") var message: String

    func run() async throws {
        guard let role = AssistantRole(rawValue: role.lowercased()) else {
            throw OutreachError.badInput("--role must be admin or reseller")
        }
        let db = try await PostgresConnection.connect()
        defer { db.close() }
        let ws: Workspace
        if let workspace {
            ws = try await WorkspaceStore().resolve(workspace, on: db)
        } else {
            guard role == .admin else { throw OutreachError.badInput("a reseller must name its --workspace") }
            let all = try await WorkspaceStore().list(on: db)
            guard all.count == 1 else {
                let language = IntentParser.parse(message, context: AssistantContext()).language
                let names = all.map(\.name).joined(separator: ", ")
                let reply = all.isEmpty
                    ? (language == .it ? "Non esiste ancora nessun workspace: creane uno con `outreach workspace create`."
                                       : "There is no workspace yet: create one with `outreach workspace create`.")
                    : (language == .it ? "Su quale workspace? Indica --workspace (\(names))."
                                       : "Which workspace? Pass --workspace (\(names)).")
                emit(AssistantResponse(intent: nil, entities: [], action: nil, reply: reply, language: language.rawValue))
                return
            }
            ws = all[0]
        }
        emit(try await AssistantService().respond(message: message, workspace: ws, role: role, on: db))
    }

    func emit(_ response: AssistantResponse) {
        if output.json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            // `intent` and `action` are always present, null when absent.
            struct Wire: Encodable {
                let r: AssistantResponse
                enum K: String, CodingKey { case intent, entities, action, reply, language }
                func encode(to encoder: any Encoder) throws {
                    var c = encoder.container(keyedBy: K.self)
                    try c.encode(r.intent, forKey: .intent)
                    try c.encode(r.entities, forKey: .entities)
                    try c.encode(r.action, forKey: .action)
                    try c.encode(r.reply, forKey: .reply)
                    try c.encode(r.language, forKey: .language)
                }
            }
            let data = (try? encoder.encode(Wire(r: response))) ?? Data("null".utf8)
            print(String(decoding: data, as: UTF8.self))
        } else {
            print(response.reply)
        }
    }
}
