import Foundation
import OutreachMigrations
import OutreachStore
import Postgres
import Testing
import TestSupport

@Suite struct MigrationsTests {
    /// Every `sql/*.sql` file is embedded and listed, in file-name order.
    @Test func everySQLFileIsEmbeddedInOrder() throws {
        let sqlDir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../sql").standardized
        let files = try FileManager.default.contentsOfDirectory(atPath: sqlDir.path).filter { $0.hasSuffix(".sql") }.sorted()
        #expect(Migrations.all.map(\.name) == files)
        for file in Migrations.all {
            let onDisk = try String(contentsOf: sqlDir.appendingPathComponent(file.name), encoding: .utf8)
            #expect(onDisk == file.sql, "\(file.name) embedded copy is stale")
        }
    }

    /// A failing file rolls back completely, is named in the error, and is not recorded.
    @Test func failingMigrationLeavesTheDatabaseAsItWas() async throws {
        try await TestDatabase.withDatabase { url in
            let db = try await PostgresConnection.connect(url)
            defer { db.close() }
            let good = Migrations.File(name: "0001_a.sql", sql: "CREATE TABLE t_a (x int);")
            let bad = Migrations.File(name: "0002_b.sql", sql: "CREATE TABLE t_b (x int); SELECT no_such_function();")
            await #expect {
                _ = try await Migrator(files: [good, bad]).migrate(on: db)
            } throws: { error in
                (error as? MigrationError)?.file == "0002_b.sql"
            }
            let tables = try await db.query("SELECT to_regclass('t_a') IS NOT NULL AS a, to_regclass('t_b') IS NOT NULL AS b")
            #expect(try tables[0].decode("a", as: Bool.self) == true)
            #expect(try tables[0].decode("b", as: Bool.self) == false)
            let recorded = try await db.query("SELECT version FROM outreach_schema_migrations").map { try $0.decode("version", as: String.self) }
            #expect(recorded == ["0001_a.sql"])
            // An applied file that changed is refused rather than silently skipped.
            let edited = Migrations.File(name: "0001_a.sql", sql: "CREATE TABLE t_a (x bigint);")
            await #expect(throws: MigrationError.self) { _ = try await Migrator(files: [edited]).migrate(on: db) }
        }
    }
}
