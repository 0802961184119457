import ArgumentParser
import OutreachCore
import OutreachEngine
import Postgres

/// `outreach consent grant|revoke`.
struct ConsentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "consent", abstract: "Grant or revoke GDPR consent (recorded with history).",
        subcommands: [Grant.self, Revoke.self])

    struct Arguments: ParsableArguments {
        @OptionGroup var workspace: WorkspaceOptions
        @Option(help: "Channel: email, whatsapp or telegram.") var channel: Channel
        @OptionGroup var selection: ContactSelectionOptions
        @Option(help: "Where the consent came from (form, call, …); default cli.") var source: String?
        @Option(help: "GDPR lawful basis (consent, contract, legitimate_interest, …).") var lawfulBasis: String?
        @OptionGroup var output: OutputOptions

        func run(_ action: ConsentAction) async throws {
            let selector = try selection.selector()
            let db = try await PostgresConnection.connect()
            defer { db.close() }
            let report = try await ConsentService().change(
                action, channel: channel, for: selector, workspace: try await workspace.resolve(on: db),
                source: source ?? "cli", lawfulBasis: lawfulBasis, actor: CLIActor.name, on: db)
            if output.json { output.printSnakeJSON(report) } else {
                let verb = action == .grant ? "granted" : "revoked"
                print("\(channel.rawValue) consent \(verb) for \(report.count) contact\(report.count == 1 ? "" : "s")"
                      + (report.count > 0 && report.count <= 10 ? ": " + report.entities.joined(separator: ", ") : ""))
            }
        }
    }

    struct Grant: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Grant consent on a channel.")
        @OptionGroup var arguments: Arguments
        func run() async throws { try await arguments.run(.grant) }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke consent on a channel (takes effect for queued sends).")
        @OptionGroup var arguments: Arguments
        func run() async throws { try await arguments.run(.revoke) }
    }
}
