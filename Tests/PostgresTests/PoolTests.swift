import Postgres
import Testing

@Suite("Connection pool")
struct PoolTests {
    @Test("more concurrent users than connections all complete, never exceeding the maximum")
    func boundedConcurrency() async throws {
        try await withTestConnection { observer, url in
            let pool = PostgresPool(conninfo: url, maxConnections: 3)
            let observerPID = try await observer.query("SELECT pg_backend_pid() AS pid")[0].decode("pid", as: Int32.self)
            let results = try await withThrowingTaskGroup(of: (Int, Int).self) { group in
                for index in 0..<40 {
                    group.addTask {
                        try await pool.withConnection { connection in
                            try await connection.query("SELECT pg_sleep(0.01)")
                            // Every client session on this database except the observer (an
                            // autovacuum worker visiting the new database is not the pool's).
                            let count = try await connection.query("""
                                SELECT count(*) AS n FROM pg_stat_activity
                                WHERE datname = current_database() AND pid <> $1 AND backend_type = 'client backend'
                                """, [observerPID])
                            return (index, try count[0].decode("n", as: Int.self))
                        }
                    }
                }
                var collected: [(Int, Int)] = []
                for try await result in group { collected.append(result) }
                return collected
            }
            #expect(results.count == 40)
            #expect(results.allSatisfy { $0.1 <= 3 }, "sessions seen: \(results.map(\.1).max() ?? 0)")
            #expect(await pool.openConnections <= 3)
            await pool.close()
            #expect(await pool.openConnections == 0)
            let error = await #expect(throws: PostgresError.self) { try await pool.query("SELECT 1") }
            #expect(error?.code == .poolClosed)
        }
    }

    @Test("a broken connection is discarded and the pool recovers")
    func brokenConnectionDiscarded() async throws {
        try await withTestConnection { killer, url in
            let pool = PostgresPool(conninfo: url, maxConnections: 1)
            defer { Task { await pool.close() } }
            let pid = try await pool.query("SELECT pg_backend_pid() AS pid")[0].decode("pid", as: Int32.self)
            let error = await #expect(throws: PostgresError.self) {
                try await pool.withConnection { connection in
                    try await terminateBackend(pid, using: killer)
                    return try await connection.query("SELECT 1")
                }
            }
            #expect(error?.code == .connectionLost)
            let newPID = try await pool.query("SELECT pg_backend_pid() AS pid")[0].decode("pid", as: Int32.self)
            #expect(newPID != pid)
            #expect(await pool.openConnections == 1)
        }
    }

    @Test("a transaction left open by a user is rolled back before reuse")
    func leftOpenTransaction() async throws {
        try await withTestConnection { connection, url in
            try await connection.execute("CREATE TABLE t (v int)")
            let pool = PostgresPool(conninfo: url, maxConnections: 1)
            try await pool.withConnection { connection in
                try await connection.execute("BEGIN")
                try await connection.execute("INSERT INTO t VALUES (1)")
            }
            let inTransaction = try await pool.withConnection { $0.isInTransaction }
            #expect(!inTransaction)
            #expect(try await pool.query("SELECT count(*) AS n FROM t")[0].decode("n", as: Int.self) == 0)
            let committed = try await pool.transaction { tx in
                try await tx.execute("INSERT INTO t VALUES (2)")
            }
            #expect(committed == 1)
            #expect(try await pool.query("SELECT count(*) AS n FROM t")[0].decode("n", as: Int.self) == 1)
            await pool.close()
        }
    }

    @Test("an invalid conninfo surfaces from the pool, and the slot is freed")
    func invalidConninfo() async throws {
        let pool = PostgresPool(conninfo: "postgresql://postgres@127.0.0.1:1/x?connect_timeout=5", maxConnections: 1)
        for _ in 0..<2 {
            let error = await #expect(throws: PostgresError.self) { try await pool.query("SELECT 1") }
            #expect(error?.code == .connectionFailed)
        }
        #expect(await pool.openConnections == 0)
        await pool.close()
    }

    @Test("a cancelled waiter leaves the queue without leaking a slot")
    func cancelledWaiter() async throws {
        try await withTestConnection { _, url in
            let pool = PostgresPool(conninfo: url, maxConnections: 1)
            let holder = Task {
                try await pool.withConnection { connection in
                    try await connection.query("SELECT pg_sleep(0.3)")
                }
            }
            try await Task.sleep(for: .milliseconds(100))
            let waiter = Task { try await pool.query("SELECT 1") }
            try await Task.sleep(for: .milliseconds(50))
            waiter.cancel()
            await #expect(throws: CancellationError.self) { try await waiter.value }
            _ = try await holder.value
            #expect(try await pool.query("SELECT 2 AS two")[0]["two"] == "2")
            #expect(await pool.openConnections == 1)
            await pool.close()
        }
    }
}
