import Foundation
import Postgres
import Testing

@Suite("Connecting, reconnecting, notifications")
struct ConnectionTests {
    @Test("a malformed conninfo is invalidConfiguration")
    func malformed() async throws {
        for conninfo in ["postgresql://host:notaport:/x?=", "host = = 'unterminated", "nonsense_key=1"] {
            let error = await #expect(throws: PostgresError.self) {
                try await PostgresConnection.connect(conninfo)
            }
            #expect(error?.code == .invalidConfiguration, "\(conninfo)")
        }
    }

    @Test("an unreachable server is connectionFailed naming host and port")
    func unreachable() async throws {
        let error = await #expect(throws: PostgresError.self) {
            try await PostgresConnection.connect("postgresql://postgres@127.0.0.1:1/postgres?connect_timeout=5")
        }
        #expect(error?.code == .connectionFailed)
        #expect(error?.message.contains("127.0.0.1") == true)
        #expect(error?.message.contains("port 1") == true)
        #expect(error?.message.contains("\n") == false)
        #expect(error?.isRetryable == false)
    }

    @Test("the session is UTF-8 and UTC")
    func sessionSettings() async throws {
        try await withTestConnection { connection, _ in
            let rows = try await connection.query(
                "SELECT current_setting('TimeZone') AS tz, current_setting('client_encoding') AS enc")
            #expect(rows[0]["tz"] == "UTC")
            #expect(rows[0]["enc"] == "UTF8")
            #expect(connection.isConnected)
        }
    }

    @Test("a terminated backend is reported as connectionLost, and the next call reconnects")
    func reconnect() async throws {
        try await withTestConnection { connection, url in
            let killer = try await PostgresConnection.connect(url)
            defer { killer.close() }
            try await connection.listen("events")
            let pid = try await connection.query("SELECT pg_backend_pid() AS pid")[0].decode("pid", as: Int32.self)
            try await terminateBackend(pid, using: killer)
            let error = await #expect(throws: PostgresError.self) { try await connection.query("SELECT 1") }
            #expect(error?.code == .connectionLost)
            #expect(error?.isRetryable == true)
            #expect(!connection.isConnected)

            let newPID = try await connection.query("SELECT pg_backend_pid() AS pid")[0].decode("pid", as: Int32.self)
            #expect(newPID != pid)
            #expect(connection.isConnected)
            // Session settings and LISTENs were restored.
            #expect(try await connection.query("SELECT current_setting('TimeZone') AS tz")[0]["tz"] == "UTC")
            try await killer.notify("events", payload: "after reconnect")
            let notification = try await connection.waitForNotification(timeout: .seconds(5))
            #expect(notification?.payload == "after reconnect")
        }
    }

    @Test("a connection lost inside a transaction refuses further statements until ROLLBACK")
    func lostInsideTransaction() async throws {
        try await withTestConnection { connection, url in
            let killer = try await PostgresConnection.connect(url)
            defer { killer.close() }
            try await connection.execute("CREATE TABLE t (v int)")
            let error = await #expect(throws: PostgresError.self) {
                try await connection.transaction { tx in
                    try await tx.execute("INSERT INTO t VALUES (1)")
                    let pid = try await tx.query("SELECT pg_backend_pid() AS pid")[0].decode("pid", as: Int32.self)
                    try await terminateBackend(pid, using: killer)
                    // The body swallows the loss and carries on: that must not run outside the transaction.
                    _ = try? await tx.execute("INSERT INTO t VALUES (2)")
                    try await tx.execute("INSERT INTO t VALUES (3)")
                }
            }
            #expect(error?.code == .connectionLost)
            #expect(try await connection.query("SELECT count(*) AS n FROM t")[0].decode("n", as: Int.self) == 0)
        }
    }

    @Test("NOTIFY wakes a waiter on another connection within 100 ms; timeout returns nil")
    func notifications() async throws {
        try await withTestConnection { listener, url in
            let notifier = try await PostgresConnection.connect(url)
            defer { notifier.close() }
            try await listener.listen("jobs ready")  // needs quoting

            let clock = ContinuousClock()
            let started = clock.now
            let nothing = try await listener.waitForNotification(timeout: .milliseconds(150))
            let waited = clock.now - started
            #expect(nothing == nil)
            #expect(waited >= .milliseconds(150))

            // Several rounds, judged on the median: one scheduling stall on a loaded CI machine
            // must not decide the figure, a slow wake-up path would show in every round.
            var latencies: [Duration] = []
            for round in 0..<5 {
                let waiter = Task { () -> (PostgresNotification?, ContinuousClock.Instant) in
                    let notification = try await listener.waitForNotification(timeout: .seconds(10))
                    return (notification, ContinuousClock().now)
                }
                try await Task.sleep(for: .milliseconds(100))  // let the waiter block in poll()
                let sent = clock.now
                try await notifier.notify("jobs ready", payload: "\(round)")
                let (notification, received) = try await waiter.value
                #expect(notification?.channel == "jobs ready")
                #expect(notification?.payload == "\(round)")
                #expect(notification?.pid != 0)
                latencies.append(received - sent)
            }
            let median = latencies.sorted()[2]
            #expect(median < .milliseconds(100), "notification latencies \(latencies)")

            // Notifications that arrive while the connection runs statements are not lost.
            try await notifier.notify("jobs ready", payload: "buffered")
            try await Task.sleep(for: .milliseconds(50))
            _ = try await listener.query("SELECT 1")
            #expect(try await listener.waitForNotification(timeout: .seconds(1))?.payload == "buffered")

            try await listener.unlisten("jobs ready")
            try await notifier.notify("jobs ready", payload: "ignored")
            #expect(try await listener.waitForNotification(timeout: .milliseconds(100)) == nil)
        }
    }

    @Test("cancelling a waiter and closing the connection interrupt waitForNotification")
    func interruptWait() async throws {
        try await withTestConnection { connection, _ in
            try await connection.listen("c")
            let clock = ContinuousClock()
            let started = clock.now
            let waiter = Task { try await connection.waitForNotification(timeout: .seconds(30)) }
            try await Task.sleep(for: .milliseconds(100))
            waiter.cancel()
            await #expect(throws: CancellationError.self) { try await waiter.value }
            #expect(clock.now - started < .seconds(5))

            let second = Task { try await connection.waitForNotification(timeout: .seconds(30)) }
            try await Task.sleep(for: .milliseconds(100))
            connection.close()
            let error = await #expect(throws: PostgresError.self) { try await second.value }
            #expect(error?.code == .connectionClosed)
            #expect(!connection.isConnected)
            let after = await #expect(throws: PostgresError.self) { try await connection.query("SELECT 1") }
            #expect(after?.code == .connectionClosed)
        }
    }
}
