import Foundation
import OutreachCore
import OutreachStore
import Postgres
import Testing
import TestSupport

/// A refund gives back only the cool-down slot its own batch took, and a worker that wants the
/// same slot while the refund is in flight gets the answer the refund's outcome implies.
@Suite struct CooldownRefundTests {
    static let slot = "SELECT last_sent_at FROM outreach_cooldowns WHERE entity_id = $1"

    /// The key of contact `id` on email in `workspace`.
    static func key(_ workspace: UUID, _ id: String) -> SendLedger.CooldownKey {
        SendLedger.CooldownKey(workspaceID: workspace, entity: EntityRef(type: .lead, id: id), channel: .email)
    }

    @Test("a refund leaves a slot that another worker took after it")
    func refundLeavesALaterWorkersSlot() async throws {
        try await withMigratedDatabase { db in
            let (ws, _) = try await insertWorkspaceAndSequence("refund", on: db)
            let key = Self.key(ws, "a")
            let first = Date(timeIntervalSince1970: 2_000_000_000)
            let later = first.addingTimeInterval(25 * 3_600)

            #expect(try await SendLedger().reserveCooldowns([key], at: first, on: db).granted == [key])
            // A day and an hour on, another worker takes the slot again (its batch at `later`).
            #expect(try await SendLedger().reserveCooldowns([key], at: later, on: db).granted == [key])
            // The first batch's send fails only now: its refund must not free the newer slot.
            try await SendLedger().refundCooldowns([key], reservedAt: first, on: db)
            let rows = try await db.query(Self.slot, ["a"])
            #expect(try rows.map { try $0.decode("last_sent_at", as: Date.self) } == [later])
        }
    }

    @Test("a worker waiting on a slot being refunded takes it if the refund commits, and waits its day if not")
    func reservationWaitingOnARefund() async throws {
        try await withMigratedDatabase { db, url in
            let (ws, _) = try await insertWorkspaceAndSequence("refund-race", on: db)
            let refunder = try await PostgresConnection.connect(url)
            defer { refunder.close() }
            let taken = Date(timeIntervalSince1970: 2_000_000_000)
            let hourLater = taken.addingTimeInterval(3_600)

            for commits in [true, false] {
                let key = Self.key(ws, commits ? "committed" : "rolled-back")
                #expect(try await SendLedger().reserveCooldowns([key], at: taken, on: db).granted == [key])

                try await refunder.query("BEGIN")
                try await SendLedger().refundCooldowns([key], reservedAt: taken, on: refunder)
                // Another worker's batch wants the same slot while the refund is uncommitted.
                let waiter = Task {
                    let other = try await PostgresConnection.connect(url)
                    defer { other.close() }
                    return try await SendLedger().reserveCooldowns([key], at: hourLater, on: other)
                }
                #expect(try await db.lockWaits(statementPrefix: "INSERT INTO outreach_cooldowns") > 0,
                        "the reservation never waited behind the refund")
                try await refunder.query(commits ? "COMMIT" : "ROLLBACK")
                let answer = try await waiter.value

                let rows = try await db.query(Self.slot, [key.entity.id])
                let slots = try rows.map { try $0.decode("last_sent_at", as: Date.self) }
                if commits {
                    // The slot was given back, so the waiting batch takes it.
                    #expect(answer.granted == [key])
                    #expect(slots == [hourLater])
                } else {
                    // The first send stands: the waiting batch defers until a day after it.
                    #expect(answer.granted.isEmpty)
                    #expect(answer.blockedUntil[key] == taken.addingTimeInterval(24 * 3_600))
                    #expect(slots == [taken])
                }
            }
        }
    }
}
