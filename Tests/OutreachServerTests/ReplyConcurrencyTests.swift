import Foundation
import OutreachEngine
import Postgres
import Testing
import TestSupport

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
            #expect(try await f.db.lockWaits(statementPrefix: "UPDATE outreach_enrollments") > 0,
                    "the reply never blocked on the enrollment row")
            try await other.query("COMMIT")
            #expect(try await reply.value == .applied)
            #expect(try await f.enrollmentState() == "\(expected) \(version)")
        }
    }
}
