import Foundation
import Postgres
import Testing

@Suite("Transactions and server errors")
struct TransactionTests {
    struct Boom: Error {}

    @Test("a thrown error rolls the transaction back and is rethrown")
    func rollbackOnError() async throws {
        try await withTestConnection { connection, _ in
            try await connection.execute("CREATE TABLE t (v int)")
            await #expect(throws: Boom.self) {
                try await connection.transaction { tx in
                    try await tx.execute("INSERT INTO t VALUES (1)")
                    throw Boom()
                }
            }
            #expect(try await connection.query("SELECT count(*) AS n FROM t")[0].decode("n", as: Int.self) == 0)
            #expect(!connection.isInTransaction)

            let value = try await connection.transaction(isolation: .repeatableRead) { tx in
                try await tx.execute("INSERT INTO t VALUES (2)")
                return try await tx.query("SELECT current_setting('transaction_isolation') AS level")[0]
                    .decode("level", as: String.self)
            }
            #expect(value == "repeatable read")
            #expect(try await connection.query("SELECT count(*) AS n FROM t")[0].decode("n", as: Int.self) == 1)
        }
    }

    @Test("cancellation inside a transaction rolls it back")
    func rollbackOnCancellation() async throws {
        try await withTestConnection { connection, _ in
            try await connection.execute("CREATE TABLE t (v int)")
            let task = Task {
                try await connection.transaction { tx in
                    try await tx.execute("INSERT INTO t VALUES (1)")
                    try await Task.sleep(for: .seconds(30))
                }
            }
            try await Task.sleep(for: .milliseconds(200))
            task.cancel()
            await #expect(throws: CancellationError.self) { try await task.value }
            #expect(try await connection.query("SELECT count(*) AS n FROM t")[0].decode("n", as: Int.self) == 0)
        }
    }

    @Test("a swallowed statement error makes COMMIT throw instead of pretending success")
    func swallowedErrorFailsCommit() async throws {
        try await withTestConnection { connection, _ in
            try await connection.execute("CREATE TABLE t (v int)")
            await #expect(throws: PostgresError.self) {
                try await connection.transaction { tx in
                    try await tx.execute("INSERT INTO t VALUES (1)")
                    _ = try? await tx.execute("SELECT 1/0")
                }
            }
            #expect(try await connection.query("SELECT count(*) AS n FROM t")[0].decode("n", as: Int.self) == 0)
        }
    }

    @Test("unique, foreign key and check violations map to codes with the constraint name")
    func integrityViolations() async throws {
        try await withTestConnection { connection, _ in
            try await connection.simpleQuery("""
                CREATE TABLE parent (id int PRIMARY KEY, email text CONSTRAINT parent_email_key UNIQUE);
                CREATE TABLE child (parent_id int CONSTRAINT child_parent_fk REFERENCES parent(id),
                                    n int CONSTRAINT child_n_positive CHECK (n > 0));
                INSERT INTO parent VALUES (1, 'a@example.com');
                """)
            let unique = await #expect(throws: PostgresError.self) {
                try await connection.execute("INSERT INTO parent VALUES ($1, $2)", 2, "a@example.com")
            }
            #expect(unique?.code == .uniqueViolation)
            #expect(unique?.sqlState == "23505")
            #expect(unique?.constraint == "parent_email_key")
            #expect(unique?.detail?.contains("already exists") == true)
            #expect(unique?.query == "INSERT INTO parent VALUES ($1, $2)")
            #expect(unique?.description.contains("a@example.com") == true)  // from DETAIL only
            #expect(unique?.isRetryable == false)

            let foreignKey = await #expect(throws: PostgresError.self) {
                try await connection.execute("INSERT INTO child VALUES (99, 1)")
            }
            #expect(foreignKey?.code == .foreignKeyViolation)
            #expect(foreignKey?.constraint == "child_parent_fk")

            let check = await #expect(throws: PostgresError.self) {
                try await connection.execute("INSERT INTO child VALUES (1, -1)")
            }
            #expect(check?.code == .checkViolation)
            #expect(check?.constraint == "child_n_positive")

            let syntax = await #expect(throws: PostgresError.self) { try await connection.execute("SELEC 1") }
            #expect(syntax?.code == .server)
            #expect(syntax?.sqlState == "42601")
            // Errors leave the connection usable.
            #expect(try await connection.query("SELECT 1 AS one")[0].decode("one", as: Int.self) == 1)
        }
    }

    @Test("concurrent SERIALIZABLE transactions surface a retryable serializationFailure")
    func serializationFailure() async throws {
        try await withTestConnection { first, url in
            let second = try await PostgresConnection.connect(url)
            defer { second.close() }
            try await first.execute("CREATE TABLE acct (id int PRIMARY KEY, balance int)")
            try await first.execute("INSERT INTO acct VALUES (1, 100), (2, 100)")

            // Classic write skew: each reads both rows, then updates a different one.
            try await first.execute("BEGIN ISOLATION LEVEL SERIALIZABLE")
            try await second.execute("BEGIN ISOLATION LEVEL SERIALIZABLE")
            _ = try await first.query("SELECT sum(balance) FROM acct")
            _ = try await second.query("SELECT sum(balance) FROM acct")
            try await first.execute("UPDATE acct SET balance = balance - 150 WHERE id = 1")
            try await second.execute("UPDATE acct SET balance = balance - 150 WHERE id = 2")
            try await first.execute("COMMIT")
            let error = await #expect(throws: PostgresError.self) { try await second.execute("COMMIT") }
            #expect(error?.code == .serializationFailure)
            #expect(error?.sqlState == "40001")
            #expect(error?.isRetryable == true)
            try await second.execute("ROLLBACK")
        }
    }

    @Test("a deadlock surfaces as a retryable deadlockDetected")
    func deadlock() async throws {
        try await withTestConnection { first, url in
            let second = try await PostgresConnection.connect(url)
            defer { second.close() }
            try await first.execute("CREATE TABLE d (id int PRIMARY KEY, v int)")
            try await first.execute("INSERT INTO d VALUES (1, 0), (2, 0)")
            try await first.execute("SET deadlock_timeout = '50ms'")
            try await second.execute("SET deadlock_timeout = '50ms'")
            try await first.execute("BEGIN")
            try await second.execute("BEGIN")
            try await first.execute("UPDATE d SET v = 1 WHERE id = 1")
            try await second.execute("UPDATE d SET v = 2 WHERE id = 2")
            // Each now waits for the other's row: the server aborts one of them.
            async let a = capture { try await first.execute("UPDATE d SET v = 1 WHERE id = 2") }
            async let b = capture { try await second.execute("UPDATE d SET v = 2 WHERE id = 1") }
            let results = await [a, b]
            let errors = results.compactMap { result -> PostgresError? in
                if case .failure(let error) = result { return error as? PostgresError }
                return nil
            }
            #expect(errors.count == 1)
            #expect(errors.first?.code == .deadlockDetected)
            #expect(errors.first?.isRetryable == true)
            try await first.execute("ROLLBACK")
            try await second.execute("ROLLBACK")
        }
    }

    private func capture(_ body: () async throws -> Int) async -> Result<Int, any Error> {
        do { return .success(try await body()) } catch { return .failure(error) }
    }

    @Test("lock_timeout maps to lockNotAvailable and statement_timeout to queryCanceled")
    func lockAndTimeout() async throws {
        try await withTestConnection { first, url in
            let second = try await PostgresConnection.connect(url)
            defer { second.close() }
            try await first.execute("CREATE TABLE l (id int PRIMARY KEY)")
            try await first.execute("INSERT INTO l VALUES (1)")
            try await first.execute("BEGIN")
            try await first.query("SELECT * FROM l WHERE id = 1 FOR UPDATE")
            let locked = await #expect(throws: PostgresError.self) {
                try await second.query("SELECT * FROM l WHERE id = 1 FOR UPDATE NOWAIT")
            }
            #expect(locked?.code == .lockNotAvailable)
            try await first.execute("ROLLBACK")

            try await second.execute("SET statement_timeout = '50ms'")
            let canceled = await #expect(throws: PostgresError.self) { try await second.query("SELECT pg_sleep(2)") }
            #expect(canceled?.code == .queryCanceled)
        }
    }

    @Test("withWorkspace scopes set_config to the transaction")
    func workspaceScope() async throws {
        try await withTestConnection { connection, _ in
            let inside = try await connection.withWorkspace("ws-42") { tx in
                try await tx.query("SELECT current_setting('outreach.workspace_id') AS ws")[0].decode("ws", as: String.self)
            }
            #expect(inside == "ws-42")
            let after = try await connection.query("SELECT current_setting('outreach.workspace_id', true) AS ws")
            #expect(after[0]["ws"] == nil || after[0]["ws"] == "")
        }
    }

    @Test("query overloads: an array literal binds several parameters; variadic binds each")
    func overloads() async throws {
        try await withTestConnection { connection, _ in
            let rows = try await connection.query("SELECT $1::text AS a, $2::text AS b", ["x", "y"])
            #expect(rows[0]["a"] == "x" && rows[0]["b"] == "y")
            let variadic = try await connection.query("SELECT $1::text AS a, $2::int AS b", "x", 2)
            #expect(variadic[0]["a"] == "x" && variadic[0]["b"] == "2")
            let array = try await connection.query("SELECT cardinality($1::text[]) AS n", [["x", "y"]])
            #expect(array[0]["n"] == "2")
            #expect(try await connection.query("SELECT 1 AS one").count == 1)
            // A typed array *variable* is one array parameter, not a list of parameters.
            let ids = [UUID(), UUID()]
            let typed = try await connection.query("SELECT cardinality($1::uuid[]) AS n", ids)
            #expect(typed[0]["n"] == "2")
        }
    }
}
