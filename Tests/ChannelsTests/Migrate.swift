import OutreachStore
import Postgres

/// The schema for tests that need the rate-limit table.
enum OutreachStoreMigrate {
    static func run(_ db: PostgresConnection) async throws -> Migrator.Report {
        try await Migrator().migrate(on: db)
    }
}
