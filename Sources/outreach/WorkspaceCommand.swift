import ArgumentParser
import OutreachCore
import OutreachStore
import Postgres

/// `outreach workspace create|list`.
struct WorkspaceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "workspace", abstract: "Manage workspaces (tenants).",
        subcommands: [Create.self, List.self])

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
}
