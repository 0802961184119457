import Postgres
import Testing
import TestSupport

@Suite("TestSupport")
struct TestDatabaseTests {
    @Test("each call makes a separate, usable database that drop removes")
    func isolatedDatabases() async throws {
        let first = try await TestDatabase.create()
        let second = try await TestDatabase.create()
        #expect(first != second)
        let a = try await PostgresConnection.connect(first)
        let b = try await PostgresConnection.connect(second)
        try await a.execute("CREATE TABLE only_in_a (v int)")
        let seen = try await b.query("SELECT to_regclass('only_in_a') IS NULL AS absent")
        #expect(try seen[0].decode("absent", as: Bool.self))
        a.close()
        b.close()
        await TestDatabase.drop(first)
        await TestDatabase.drop(second)
        let error = await #expect(throws: PostgresError.self) { try await PostgresConnection.connect(first) }
        #expect(error?.code == .connectionFailed)
    }

    @Test("an unreachable server fails loudly instead of skipping")
    func unreachable() async throws {
        let error = await #expect(throws: TestDatabase.Unavailable.self) {
            try await TestDatabase.create(server: "postgresql://postgres@127.0.0.1:1/postgres?connect_timeout=5")
        }
        #expect(error?.description.contains("127.0.0.1") == true)
        #expect(error?.description.contains("DATABASE_URL") == true)
    }
}
