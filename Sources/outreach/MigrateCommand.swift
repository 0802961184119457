import ArgumentParser
import OutreachStore
import Postgres

/// `outreach migrate`: applies pending schema migrations; a no-op when current.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate", abstract: "Apply pending database migrations (safe to run concurrently).")

    @OptionGroup var output: OutputOptions

    func run() async throws {
        let connection = try await PostgresConnection.connect()
        defer { connection.close() }
        let report = try await Migrator().migrate(on: connection)
        if output.json {
            output.printJSON(["applied": report.applied, "already_applied": report.alreadyApplied])
        } else if report.applied.isEmpty {
            print("schema is current (\(report.alreadyApplied.count) migrations applied)")
        } else {
            for file in report.applied { print("applied \(file)") }
        }
    }
}
