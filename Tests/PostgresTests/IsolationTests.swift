import Postgres
import Testing

/// Compile-time guard: callers inside an actor can use transactions and the pool with closures
/// that touch the actor's state.
actor Counter {
    var seen = 0
    let pool: PostgresPool

    init(pool: PostgresPool) { self.pool = pool }

    func run(on connection: PostgresConnection) async throws -> Int {
        let value = try await connection.transaction { tx in
            let base = self.seen
            return base + (try await tx.query("SELECT 41 + 1 AS n")[0].decode("n", as: Int.self))
        }
        seen += value
        let fromPool = try await pool.withConnection { connection in
            try await connection.query("SELECT 1 AS n")[0].decode("n", as: Int.self)
        }
        seen += fromPool
        return seen
    }
}

@Suite("Use from actors")
struct IsolationTests {
    @Test("transactions and pools work from actor-isolated code")
    func fromActor() async throws {
        try await withTestConnection { connection, url async throws in
            let pool = PostgresPool(conninfo: url, maxConnections: 1)
            let counter = Counter(pool: pool)
            #expect(try await counter.run(on: connection) == 43)
            await pool.close()
        }
    }
}

/// Compile-time guard: a closure stored with a plain async function type can be passed along.
func forwardsPlainClosure(
    _ pool: PostgresPool, _ body: @escaping @Sendable (PostgresConnection) async throws -> Int
) async throws -> Int {
    let plain: (PostgresConnection) async throws -> Int = body
    _ = try await pool.transaction(body)
    return try await pool.withConnection(plain)
}
