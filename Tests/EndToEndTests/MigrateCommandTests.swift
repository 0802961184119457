import Foundation
import OutreachMigrations
import Postgres
import Testing
import TestSupport

/// `outreach migrate` as a process: idempotent, safe to run concurrently, clear exit statuses.
@Suite struct MigrateCommandTests {
    @Test func migrateTwiceChangesNothingTheSecondTime() async throws {
        try await TestDatabase.withDatabase { url in
            let first = try await OutreachProcess.run(["migrate"], environment: ["DATABASE_URL": url])
            #expect(first.status == 0, "\(first.stderr)")
            #expect(first.stdout.contains("applied 0001_schema.sql"))

            let db = try await PostgresConnection.connect(url)
            defer { db.close() }
            let before = try await snapshot(db)
            let second = try await OutreachProcess.run(["migrate"], environment: ["DATABASE_URL": url])
            #expect(second.status == 0, "\(second.stderr)")
            #expect(second.stdout.contains("schema is current"))
            #expect(try await snapshot(db) == before)
        }
    }

    @Test func concurrentMigratesBothSucceedAndApplyEachFileOnce() async throws {
        try await TestDatabase.withDatabase { url in
            async let a = OutreachProcess.run(["migrate", "--json"], environment: ["DATABASE_URL": url])
            async let b = OutreachProcess.run(["migrate", "--json"], environment: ["DATABASE_URL": url])
            let (ra, rb) = try await (a, b)
            #expect(ra.status == 0, "\(ra.stderr)")
            #expect(rb.status == 0, "\(rb.stderr)")
            // Exactly one of the two applied the schema; the other found it current.
            let applied = [ra.stdout, rb.stdout].filter { $0.contains("\"applied\":[\"0001_schema.sql\"") }
            #expect(applied.count == 1, "\(ra.stdout) / \(rb.stdout)")
            let db = try await PostgresConnection.connect(url)
            defer { db.close() }
            let count = try await db.query("SELECT count(*)::int AS n, count(DISTINCT version)::int AS d FROM outreach_schema_migrations")
            #expect(try count[0].decode("n", as: Int.self) == Migrations.all.count)
            #expect(try count[0].decode("d", as: Int.self) == Migrations.all.count)
        }
    }

    @Test func malformedDatabaseURLExitsTwoNamingTheVariable() async throws {
        let result = try await OutreachProcess.run(["migrate"], environment: ["DATABASE_URL": "postgresql://%%%bad"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("DATABASE_URL"))
        #expect(result.stderr.split(separator: "\n").count == 1, "one line: \(result.stderr)")
    }

    @Test func unreachableDatabaseExitsOneWithHostAndPort() async throws {
        let result = try await OutreachProcess.run(["migrate"], environment: ["DATABASE_URL": "postgresql://postgres@127.0.0.1:1/x"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("127.0.0.1"))
        #expect(result.stderr.contains("1"))
        #expect(!result.stderr.contains("Fatal error"), "no crash: \(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1, "one line: \(result.stderr)")
    }

    @Test func badUsageExitsTwo() async throws {
        let result = try await OutreachProcess.run(["migrate", "--no-such-flag"])
        #expect(result.status == 2)
    }

    /// Tables, columns, indexes and policies: what a second migrate must leave untouched.
    private func snapshot(_ db: PostgresConnection) async throws -> [String] {
        let rows = try await db.query("""
            SELECT 'col ' || table_name || '.' || column_name || ' ' || data_type AS item
              FROM information_schema.columns WHERE table_schema = 'public'
            UNION ALL SELECT 'idx ' || indexname FROM pg_indexes WHERE schemaname = 'public'
            UNION ALL SELECT 'pol ' || tablename || '.' || policyname FROM pg_policies
            UNION ALL SELECT 'mig ' || version || ' ' || applied_at::text FROM outreach_schema_migrations
            ORDER BY 1
            """)
        return try rows.map { try $0.decode("item", as: String.self) }
    }
}
