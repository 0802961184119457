import OutreachCrypto
import OutreachMigrations
import Postgres

/// Applies the embedded schema migrations in order, each in its own transaction, and records
/// them in `outreach_schema_migrations`.
///
/// Safe when several processes run it at once: a session-level advisory lock serialises them,
/// and each re-reads what is applied after taking the lock, so every file runs exactly once.
public struct Migrator: Sendable {
    /// What one run did.
    public struct Report: Sendable, Equatable {
        /// Files applied by this run, in order.
        public var applied: [String]
        /// Files that were already applied before this run.
        public var alreadyApplied: [String]
    }

    /// Arbitrary but fixed: every `outreach migrate` on any machine contends for this key.
    static let advisoryLockKey: Int64 = 0x6F75_7472_6561_6368  // "outreach"

    static let createTable = """
        CREATE TABLE IF NOT EXISTS outreach_schema_migrations (
            version    text PRIMARY KEY,
            checksum   text NOT NULL,
            applied_at timestamptz NOT NULL DEFAULT now()
        )
        """
    static let selectApplied = "SELECT version, checksum FROM outreach_schema_migrations ORDER BY version"
    static let insertApplied = "INSERT INTO outreach_schema_migrations (version, checksum) VALUES ($1, $2)"

    public let files: [Migrations.File]

    public init(files: [Migrations.File] = Migrations.all) {
        self.files = files
    }

    /// The SHA-256 of a file's SQL, recorded so that an edited, already-applied file is noticed.
    public static func checksum(_ sql: String) -> String {
        Hex.encode(SHA256.hash(Array(sql.utf8)))
    }

    /// Applies every pending file. A failing file rolls back completely and is named in the error.
    public func migrate(on connection: PostgresConnection) async throws -> Report {
        try await connection.query("SELECT pg_advisory_lock($1)", [Self.advisoryLockKey])
        do {
            let report = try await migrateLocked(on: connection)
            try await connection.query("SELECT pg_advisory_unlock($1)", [Self.advisoryLockKey])
            return report
        } catch {
            // The lock is session-scoped: release it if the session survived, or it dies with it.
            _ = try? await connection.query("SELECT pg_advisory_unlock($1)", [Self.advisoryLockKey])
            throw error
        }
    }

    /// Versions recorded as applied, or an empty list on a database that was never migrated.
    public func pending(on connection: PostgresConnection) async throws -> [String] {
        let exists = try await connection.query(
            "SELECT to_regclass('outreach_schema_migrations') IS NOT NULL AS present")
        guard try exists.first?.decode("present", as: Bool.self) == true else { return files.map(\.name) }
        let applied = Set(try await connection.query(Self.selectApplied).map { try $0.decode("version", as: String.self) })
        return files.map(\.name).filter { !applied.contains($0) }
    }

    private func migrateLocked(on connection: PostgresConnection) async throws -> Report {
        try await connection.query(Self.createTable)
        var recorded: [String: String] = [:]
        for row in try await connection.query(Self.selectApplied) {
            recorded[try row.decode("version", as: String.self)] = try row.decode("checksum", as: String.self)
        }
        var report = Report(applied: [], alreadyApplied: [])
        for file in files {
            let checksum = Self.checksum(file.sql)
            if let existing = recorded[file.name] {
                guard existing == checksum else {
                    throw MigrationError(code: .edited, file: file.name,
                                         reason: "it changed after it was applied; add a new migration instead")
                }
                report.alreadyApplied.append(file.name)
                continue
            }
            do {
                try await connection.transaction { tx in
                    try await tx.simpleQuery(file.sql)
                    try await tx.query(Self.insertApplied, [file.name, checksum])
                }
            } catch let error as PostgresError where error.code != .connectionLost && error.code != .connectionFailed {
                throw MigrationError(code: .failed, file: file.name, reason: error.description)
            }
            report.applied.append(file.name)
        }
        return report
    }
}
