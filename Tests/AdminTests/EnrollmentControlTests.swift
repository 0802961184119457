import Foundation
import OutreachCore
import OutreachEngine
import OutreachStore
import Postgres
import Testing
import TestSupport

@Suite struct EnrollmentControlTests {
    static let lead = EntityRef(type: .lead, id: "42")

    /// A workspace with lead:42 enrolled in `intro` (and optionally `outro`); returns the enrollment id in intro.
    func setUp(_ f: AdminFixture, second: Bool = false) async throws -> Int64 {
        try await f.importCSV("\(AdminFixture.header)\nlead,42,Ada,,ada@example.com,,,new,\n")
        try await f.makeSequence("intro")
        _ = try await EnrollmentService().enroll(.entities([Self.lead]), sequence: "intro", workspace: f.workspace, on: f.db)
        if second {
            _ = try await SequenceService().create(SequenceDefinition(name: "outro", steps: [.init(channel: .email, template: "intro-email")]),
                                               workspace: f.workspace, on: f.db)
            _ = try await EnrollmentService().enroll(.entities([Self.lead]), sequence: "outro", workspace: f.workspace, on: f.db)
        }
        return try await f.db.query("SELECT e.id FROM outreach_enrollments e JOIN outreach_sequences s ON s.id = e.sequence_id WHERE s.name = 'intro'")[0]
            .decode("id")
    }

    func enrollment(_ f: AdminFixture, _ id: Int64) async throws -> EnrollmentRecord {
        try #require(try await EnrollmentStore().load(id: id, on: f.db))
    }

    @Test func pauseResumeCancelThroughTheBinary() async throws {
        let f = try await AdminFixture.make()
        defer { Task { await f.close() } }
        let id = try await setUp(f, second: true)
        let before = try await enrollment(f, id)

        let pause = try await f.run(["enrollment", "pause", "--workspace", "acme", "--entity", "lead:42"])
        #expect(pause.status == 0, "\(pause.stderr)")
        #expect(pause.stdout.contains("lead:42 in intro: active → paused"))
        #expect(pause.stdout.contains("lead:42 in outro: active → paused"))
        let paused = try await enrollment(f, id)
        #expect(paused.status == .paused && paused.version == before.version + 1)
        #expect(paused.nextRunAt == before.nextRunAt, "pause leaves next_run_at")

        let again = try await f.run(["enrollment", "pause", "--workspace", "acme", "--entity", "lead:42", "--sequence", "intro"])
        #expect(again.stdout.contains("already paused"))
        #expect(try await enrollment(f, id).version == paused.version, "a no-op writes nothing")

        let resume = try await f.run(["enrollment", "resume", "--workspace", "acme", "--entity", "lead:42", "--sequence", "intro"])
        #expect(resume.status == 0)
        #expect(resume.stdout.contains("paused → active"))
        #expect(try await enrollment(f, id).status == .active)

        let cancel = try await f.run(["enrollment", "cancel", "--workspace", "acme", "--entity", "lead:42", "--json"])
        #expect(cancel.status == 0)
        #expect(cancel.stdout.contains("\"outcome\":\"changed\""))
        let cancelled = try await enrollment(f, id)
        #expect(cancelled.status == .cancelled && cancelled.nextRunAt == nil)

        let refused = try await f.run(["enrollment", "resume", "--workspace", "acme", "--entity", "lead:42", "--sequence", "intro"])
        #expect(refused.status == 0)
        #expect(refused.stdout.contains("unchanged (cannot resume an enrollment that is cancelled)"), "\(refused.stdout)")

        for args in [["--entity", "lead:7"], ["--entity", "lead:42", "--sequence", "nope"], ["--entity", "42"]] {
            let bad = try await f.run(["enrollment", "pause", "--workspace", "acme"] + args)
            #expect(bad.status == 2, "\(args)")
        }
    }

    @Test func resumeReArmsNextRunOnlyWhenTheStepIsNotQueued() async throws {
        let f = try await AdminFixture.make()
        defer { Task { await f.close() } }
        let id = try await setUp(f)
        // The scheduler took step 1: next_run_at NULL and a job `step:<id>:1` in the queue.
        try await f.db.execute("UPDATE outreach_enrollments SET next_run_at = NULL, version = version + 1 WHERE id = $1", [id])
        try await JobQueue().enqueue([NewJob(workspaceID: f.workspace.id, kind: .step, dedupeKey: "step:\(id):1",
                                             enrollmentID: id, stepPosition: 1)], on: f.db)
        _ = try await EnrollmentService().control(.pause, entity: Self.lead, sequence: nil, workspace: f.workspace, on: f.db)
        _ = try await EnrollmentService().control(.resume, entity: Self.lead, sequence: nil, workspace: f.workspace, on: f.db)
        var now = try await enrollment(f, id)
        #expect(now.status == .active)
        #expect(now.nextRunAt == nil, "the queued job runs the step; the scheduler must not enqueue it again")

        // The worker dropped the job while the enrollment was paused: resume re-arms it.
        _ = try await EnrollmentService().control(.pause, entity: Self.lead, sequence: nil, workspace: f.workspace, on: f.db)
        try await f.db.execute("DELETE FROM outreach_jobs")
        _ = try await EnrollmentService().control(.resume, entity: Self.lead, sequence: nil, workspace: f.workspace, on: f.db)
        now = try await enrollment(f, id)
        #expect(now.status == .active)
        let rearmed = try #require(now.nextRunAt)
        #expect(abs(rearmed.timeIntervalSinceNow) < 60)
    }

    /// The optimistic-locking loop: a concurrent writer bumps the version between our read and our
    /// update; the update matches no row, the loop re-reads and re-decides on the fresh state.
    @Test func lostRaceIsReReadAndReDecidedNeverOverwritten() async throws {
        let f = try await AdminFixture.make()
        defer { Task { await f.close() } }
        let id = try await setUp(f)
        let other = try await PostgresConnection.connect(f.url)
        defer { other.close() }
        let store = EnrollmentStore()

        // 1. Pause races with a concurrent cancel: the re-read sees `cancelled` and leaves it so.
        var seen: [(EnrollmentStatus, Int)] = []
        let outcome = try await store.update(id: id, on: f.db) { current in
            seen.append((current.status, current.version))
            if seen.count == 1 {
                try await other.execute("UPDATE outreach_enrollments SET status = 'cancelled', next_run_at = NULL, version = version + 1 WHERE id = $1", [id])
            }
            return EnrollmentService.decision(.pause, for: current)
        }
        #expect(seen.map(\.0) == [.active, .cancelled])
        #expect(seen[1].1 == seen[0].1 + 1)
        guard case .left(let row, let reason, let attempts) = outcome else { Issue.record("expected .left, got \(outcome)"); return }
        #expect(row.status == .cancelled && attempts == 2)
        #expect(reason.contains("cannot pause"))
        #expect(try await enrollment(f, id).status == .cancelled, "the concurrent cancel was not overwritten")
    }

    @Test func lostRaceWithAnUnrelatedChangeRetriesAndApplies() async throws {
        let f = try await AdminFixture.make()
        defer { Task { await f.close() } }
        let id = try await setUp(f)
        let other = try await PostgresConnection.connect(f.url)
        defer { other.close() }
        let start = try await enrollment(f, id)

        // 2. The scheduler takes the step (next_run_at NULL, version+1) between read and update:
        //    the pause is re-decided on the new row and applied on top of it.
        var calls = 0
        let outcome = try await EnrollmentStore().update(id: id, on: f.db) { current in
            calls += 1
            if calls == 1 {
                try await other.execute("UPDATE outreach_enrollments SET next_run_at = NULL, version = version + 1 WHERE id = $1", [id])
            }
            return EnrollmentService.decision(.pause, for: current)
        }
        guard case .updated(let row, let attempts) = outcome else { Issue.record("expected .updated, got \(outcome)"); return }
        #expect(attempts == 2 && calls == 2)
        #expect(row.status == .paused)
        #expect(row.version == start.version + 2)
        #expect(row.nextRunAt == nil, "kept the scheduler's change")

        // 3. A writer that never stops winning: the loop gives up with a conflict instead of spinning.
        await #expect(throws: OutreachError.self) {
            _ = try await EnrollmentStore().update(id: id, maxAttempts: 3, on: f.db) { current in
                try await other.execute("UPDATE outreach_enrollments SET version = version + 1 WHERE id = $1", [id])
                return EnrollmentService.decision(.resume, for: current)
            }
        }
        #expect(try await enrollment(f, id).status == .paused)
    }

    @Test func stalePlainApplyMatchesNoRow() async throws {
        let f = try await AdminFixture.make()
        defer { Task { await f.close() } }
        let id = try await setUp(f)
        let current = try await enrollment(f, id)
        let applied = try await EnrollmentStore().apply(EnrollmentChange(status: .active, currentStep: 2, nextRun: .after(seconds: 3600),
                                                                         lastError: .set("x")),
                                                        id: id, version: current.version, on: f.db)
        #expect(applied?.currentStep == 2 && applied?.lastError == "x")
        #expect(abs((applied?.nextRunAt ?? .distantPast).timeIntervalSinceNow - 3600) < 60)
        let stale = try await EnrollmentStore().apply(EnrollmentChange(status: .completed), id: id, version: current.version, on: f.db)
        #expect(stale == nil)
        let done = try await EnrollmentStore().apply(EnrollmentChange(status: .completed, currentStep: 3, nextRun: .clear, lastError: .clear),
                                                     id: id, version: current.version + 1, on: f.db)
        #expect(done?.status == .completed && done?.completedAt != nil && done?.lastError == nil)
    }
}
