import ArgumentParser
import Foundation
import OutreachCore
import OutreachEngine
import Postgres

/// `outreach send --workspace W --entity lead:42 --channel C --template NAME`.
struct SendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send", abstract: "Queue a one-off message (same queue and safety checks as sequences).")

    @OptionGroup var workspace: WorkspaceOptions
    @Option(help: "The contact, TYPE:ID.") var entity: String
    @Option(help: "Channel: email, whatsapp or telegram.") var channel: Channel
    @Option(help: "Template name (for that channel).") var template: String
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let ref = try EntityRef(parsing: entity)
        let db = try await PostgresConnection.connect()
        defer { db.close() }
        let receipt = try await SendService().send(to: ref, channel: channel, template: template,
                                                   workspace: try await workspace.resolve(on: db), on: db)
        if output.json { output.printSnakeJSON(receipt) } else {
            print("queued job \(receipt.jobID): \(channel.rawValue) '\(template)' to \(ref) (idempotency key \(receipt.idempotencyKey))")
            for warning in receipt.warnings {
                FileHandle.standardError.write(Data("warning: \(warning)\n".utf8))
            }
        }
    }
}
