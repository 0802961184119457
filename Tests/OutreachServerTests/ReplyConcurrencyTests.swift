import Foundation
import OutreachEngine
import Postgres
import Testing

/// A reply that races a concurrent enrollment update loses the optimistic lock, re-reads, and
/// decides again: a concurrent pause is still stopped; a concurrent cancel wins.
@Suite struct ReplyConcurrencyTests {
    @Test(arguments: [("paused", "replied", 3), ("cancelled", "cancelled", 2)])
    func replyRacingAnEnrollmentUpdate(concurrent: String, expected: String, version: Int) async throws {
        try await ServerFixture.with { f in
            let other = try await PostgresConnection.connect(f.url)
            defer { other.close() }
            try await other.query("BEGIN")
            try await other.execute("UPDATE outreach_enrollments SET status = $2, version = version + 1 WHERE id = $1", [f.enrollment, concurrent])

            let tracker = DeliveryTracker(pool: f.pool)
            let message = InboundMessage(dedupeKey: "1", provider: .telegram, channel: .telegram, sender: "777000111",
                                         receivingAccount: nil, occurredAt: Date())
            let reply = Task { try await tracker.process(.inbound(message)) }
            // Wait until the tracker's conditional UPDATE is blocked on the uncommitted row.
            var waited = 0
            while try await f.db.query("""
                SELECT count(*)::int AS n FROM pg_stat_activity
                WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE 'UPDATE outreach_enrollments%'
                """)[0].decode("n", as: Int.self) == 0 {
                try await Task.sleep(for: .milliseconds(20))
                waited += 1
                #expect(waited < 500, "the reply never blocked on the enrollment row")
                if waited >= 500 { break }
            }
            try await other.query("COMMIT")
            #expect(try await reply.value == .applied)
            #expect(try await f.enrollmentState() == "\(expected) \(version)")
        }
    }
}
