import ArgumentParser
import Foundation
import OutreachCore
import OutreachEngine
import Postgres

/// `outreach contacts import --workspace W FILE.csv`.
struct ContactsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "contacts", abstract: "Manage contacts (leads and prospects).", subcommands: [Import.self])

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import a CSV file of contacts, all or nothing.",
            discussion: """
                Header: entity_type,entity_id,name,company,email,phone,telegram_chat_id,status,timezone[,consent]
                The consent column lists channels separated by ';' (email;whatsapp) and grants them with
                source 'import' where the contact has no consent record for that channel yet.
                """)
        @OptionGroup var workspace: WorkspaceOptions
        @Option(help: "Lawful basis recorded with consent granted by the consent column.") var lawfulBasis: String?
        @Argument(help: "The CSV file (UTF-8, RFC 4180).") var file: String
        @OptionGroup var output: OutputOptions

        func run() async throws {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw OutreachError.badInput("cannot read \(file): no such file or not readable")
            }
            let db = try await PostgresConnection.connect()
            defer { db.close() }
            let ws = try await workspace.resolve(on: db)
            let report: ContactImportService.Report
            do {
                report = try await ContactImportService().importCSV(Array(data), workspace: ws, lawfulBasis: lawfulBasis,
                                                                     actor: CLIActor.name, on: db)
            } catch let error as OutreachError {
                throw OutreachError(error.code, "\(file): \(error.message)")
            }
            if output.json { output.printSnakeJSON(report) } else {
                print("\(file): \(report.rows) rows: \(report.imported) imported, \(report.updated) updated, \(report.unchanged) unchanged")
                let granted = report.consentGranted.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
                if !granted.isEmpty || report.consentKept > 0 {
                    print("consent granted: \(granted.isEmpty ? "none" : granted.joined(separator: ", "))"
                          + (report.consentKept > 0 ? "; \(report.consentKept) kept as recorded (already granted or revoked)" : ""))
                }
            }
        }
    }
}
