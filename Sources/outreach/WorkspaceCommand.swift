import Foundation
import ArgumentParser
import OutreachCore
import OutreachCrypto
import OutreachStore
import Postgres

/// `outreach workspace create|list`.
struct WorkspaceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "workspace", abstract: "Manage workspaces (tenants).",
        subcommands: [Create.self, List.self, Token.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a workspace.")
        @Argument(help: "Unique workspace name.") var name: String
        @Option(help: "IANA time zone for daily limits and send windows.") var timezone = "UTC"
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let db = try await PostgresConnection.connect()
            defer { db.close() }
            let workspace = try await WorkspaceStore().create(name: name, timezone: timezone, on: db)
            if output.json { output.printJSON(workspace) } else {
                print("created workspace \(workspace.name) (\(workspace.id.uuidString.lowercased()), \(workspace.timezone))")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List workspaces.")
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let db = try await PostgresConnection.connect()
            defer { db.close() }
            let all = try await WorkspaceStore().list(on: db)
            if output.json { output.printJSON(all) } else {
                for w in all { print("\(w.name)\t\(w.id.uuidString.lowercased())\t\(w.timezone)") }
            }
        }
    }

    /// `outreach workspace token create --workspace W [--role reseller|admin] [--label L]`.
    struct Token: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "token", abstract: "API tokens for POST /v1/assistant.", subcommands: [Create.self])

        struct Create: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Create a token for one workspace; it is printed once and only its SHA-256 is stored.")
            @OptionGroup var workspace: WorkspaceOptions
            @Option(help: "reseller (default) or admin.") var role = "reseller"
            @Option(help: "A note on who holds the token.") var label: String?
            @OptionGroup var output: OutputOptions

            func run() async throws {
                guard let role = AssistantStore.TokenRole(rawValue: role.lowercased()) else {
                    throw OutreachError.badInput("--role must be reseller or admin")
                }
                let db = try await PostgresConnection.connect()
                defer { db.close() }
                let ws = try await workspace.resolve(on: db)
                let token = SecureRandom.token()
                let id = try await AssistantStore().createToken(token, workspace: ws.id, role: role, label: label, on: db)
                if output.json {
                    struct Created: Encodable { let id: Int64; let workspace: String; let role: String; let token: String }
                    output.printJSON(Created(id: id, workspace: ws.name, role: role.rawValue, token: token))
                } else {
                    print(token)
                    FileHandle.standardError.write(Data("token \(id) for workspace \(ws.name) (\(role.rawValue)): store it now, it is not shown again\n".utf8))
                }
            }
        }
    }
}
