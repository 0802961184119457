import Foundation
import Postgres
import Testing

@Suite("Prepared statements")
struct PreparedStatementTests {
    static let namedStatements = "SELECT count(*)::int AS n FROM pg_prepared_statements WHERE name LIKE 'outreach_%'"

    @Test("a statement with parameters is prepared once and reused by name")
    func reuse() async throws {
        try await withTestConnection { connection, _ async throws in
            for value in 1...5 {
                #expect(try await connection.query("SELECT $1::int + 1 AS v", [value])[0].decode("v", as: Int.self) == value + 1)
            }
            // One named statement for the repeated query (plus none for the unparameterised count).
            #expect(try await connection.query(Self.namedStatements)[0].decode("n", as: Int.self) == 1)
            let text: String = try await connection.query(
                "SELECT statement FROM pg_prepared_statements WHERE name LIKE 'outreach_%'")[0].decode("statement")
            #expect(text == "SELECT $1::int + 1 AS v")
        }
    }

    @Test("a table changed under a prepared statement is re-planned; a changed result shape recovers on the next run")
    func schemaChanges() async throws {
        try await withTestConnection { connection, url async throws in
            try await connection.query("CREATE TABLE t (id int PRIMARY KEY, name text)")
            try await connection.query("INSERT INTO t VALUES (1, 'a')")
            let select = "SELECT * FROM t WHERE id = $1"
            #expect(try await connection.query(select, [1]).count == 1)
            // Dropped and recreated by another session: the server re-plans by itself.
            let other = try await PostgresConnection.connect(url)
            defer { other.close() }
            try await other.query("DROP TABLE t")
            try await other.query("CREATE TABLE t (id int PRIMARY KEY, name text)")
            try await other.query("INSERT INTO t VALUES (1, 'b')")
            #expect(try await connection.query(select, [1])[0].decode("name", as: String.self) == "b")
            // A new column changes what `SELECT *` returns: one clear error, then it works again.
            try await other.query("ALTER TABLE t ADD COLUMN extra int DEFAULT 7")
            var failures = 0
            for _ in 0..<2 {
                do {
                    let rows = try await connection.query(select, [1])
                    #expect(try rows[0].decode("extra", as: Int.self) == 7)
                } catch let error as PostgresError {
                    #expect(error.sqlState == "0A000")
                    failures += 1
                }
            }
            #expect(failures <= 1)
            #expect(try await connection.query(select, [1])[0].decode("extra", as: Int.self) == 7)
        }
    }

    @Test("a reconnect forgets the old session's statements and prepares them again")
    func reconnect() async throws {
        try await withTestConnection { connection, url async throws in
            let pid: Int32 = try await connection.query("SELECT pg_backend_pid() AS pid WHERE $1::bool", [true])[0].decode("pid")
            let killer = try await PostgresConnection.connect(url)
            defer { killer.close() }
            try await terminateBackend(pid, using: killer)
            // The statement that finds the connection gone fails; the next one reconnects.
            _ = try? await connection.query("SELECT pg_backend_pid() AS pid WHERE $1::bool", [true])
            let again: Int32 = try await connection.query("SELECT pg_backend_pid() AS pid WHERE $1::bool", [true])[0].decode("pid")
            #expect(again != pid)
            #expect(try await connection.query(Self.namedStatements)[0].decode("n", as: Int.self) == 1)
        }
    }

    @Test("binding bytea where text was prepared runs unprepared with the right types")
    func differentTypes() async throws {
        try await withTestConnection { connection, _ async throws in
            let sql = "SELECT octet_length($1) AS n"
            #expect(try await connection.query(sql, ["abc"])[0].decode("n", as: Int.self) == 3)
            #expect(try await connection.query(sql, [[UInt8]([1, 2, 3, 4])])[0].decode("n", as: Int.self) == 4)
        }
    }
}
