import Foundation
@testable import OutreachStore
import Postgres
import Testing
import TestSupport

/// The fair claim reads about the batch it takes, whatever the planner believes about the queue.
@Suite struct ClaimPlanTests {
    /// Statistics taken on an empty queue, then a big enqueue (the scheduler's tick does exactly
    /// this): an `EXISTS` over due jobs was planned as a semi-join that hashed every due job on
    /// each claim. The LATERAL probe reads one index entry per workspace instead.
    @Test("a claim after a big enqueue under stale statistics reads the batch, not the queue")
    func claimReadsTheBatchNotTheQueue() async throws {
        try await withMigratedDatabase { db in
            // No autovacuum between the enqueue and the claim: the statistics must stay stale.
            try await db.query("ALTER TABLE outreach_jobs SET (autovacuum_enabled = false)")
            try await db.query("ANALYZE outreach_jobs")
            for name in ["big", "small"] {
                let ws: UUID = try await db.query("INSERT INTO outreach_workspaces (name) VALUES ($1) RETURNING id", [name])[0].decode("id")
                let jobs = name == "big" ? 5_000 : 10
                try await db.query("""
                    WITH j AS (INSERT INTO outreach_jobs (workspace_id, kind) SELECT $1, 'noop' FROM generate_series(1, $2::int) RETURNING workspace_id)
                    INSERT INTO outreach_queue_workspaces (workspace_id) SELECT DISTINCT workspace_id FROM j
                    """, [ws, jobs] as [any PostgresEncodable])
            }

            let plan: String = try await db.query("EXPLAIN (ANALYZE, FORMAT JSON) " + JobQueue.claim,
                                                  [100, "plan-test", [UUID]?.none, 30.0] as [any PostgresEncodable])[0].decode(0)
            let read = Self.rowsRead(from: "outreach_jobs", in: try JSONSerialization.jsonObject(with: Data(plan.utf8)))
            // 100 claimed (110 looked at across the two workspaces, each row once or twice) plus
            // one probe per workspace; hashing the queue read 5 010.
            #expect(read > 0 && read <= 400, "the claim read \(read) job rows for a batch of 100: \(plan)")
            let claimed: Int = try await db.query("SELECT count(*)::int AS n FROM outreach_jobs WHERE state = 'running'")[0].decode("n")
            #expect(claimed == 100)
        }
    }

    /// Rows produced by every plan node that scans `relation` (actual rows × loops).
    static func rowsRead(from relation: String, in json: Any) -> Int {
        var total = 0
        func walk(_ node: Any) {
            if let list = node as? [Any] { list.forEach(walk); return }
            guard let object = node as? [String: Any] else { return }
            if object["Relation Name"] as? String == relation {
                total += ((object["Actual Rows"] as? Int) ?? 0) * ((object["Actual Loops"] as? Int) ?? 1)
            }
            object.values.forEach(walk)
        }
        walk(json)
        return total
    }
}
