import Foundation
import OutreachCore
import OutreachStore
import Postgres

/// `outreach enroll` and `outreach enrollment pause|resume|cancel`.
public struct EnrollmentService: Sendable {
    let store = EnrollmentStore()

    public init() {}

    public struct EnrollReport: Sendable, Equatable, Codable {
        public var sequence: String
        public var matched: Int
        public var enrolled: Int
        public var alreadyEnrolled: Int
    }

    /// Enrolls the selected contacts in `sequence` (one set-based statement); contacts already
    /// enrolled are counted, not changed. A named entity that is not a contact is `.notFound`.
    public func enroll(_ selector: ContactSelector, sequence name: String, workspace: Workspace,
                       on db: PostgresConnection) async throws -> EnrollReport {
        try await db.transaction { tx in
            try await enrollInTransaction(selector, sequence: name, workspace: workspace, on: tx)
        }
    }

    /// `enroll` for a caller that already holds a transaction (e.g. a `TenantScope`): a nested
    /// `BEGIN … COMMIT` would end the caller's transaction, and its row-level-security scope, early.
    func enrollInTransaction(_ selector: ContactSelector, sequence name: String, workspace: Workspace,
                             on tx: PostgresConnection) async throws -> EnrollReport {
        let sequence = try await SequenceService().require(name, workspace: workspace, on: tx)
        try await ContactStore().requireExisting(selector, workspace: workspace, on: tx)
        let counts = try await store.enroll(selector, sequenceID: sequence.id, workspace: workspace.id, on: tx)
        return EnrollReport(sequence: sequence.name, matched: counts.matched, enrolled: counts.enrolled,
                            alreadyEnrolled: counts.alreadyEnrolled)
    }

    /// The result for one enrollment.
    public struct ControlResult: Sendable, Equatable, Codable {
        public enum Outcome: String, Sendable, Codable {
            /// The status changed.
            case changed
            /// It was already in the wanted status.
            case already
            /// The lifecycle does not allow it (e.g. resuming a completed enrollment).
            case refused
        }

        public var enrollmentID: Int64
        public var sequence: String
        public var from: EnrollmentStatus
        public var status: EnrollmentStatus
        public var outcome: Outcome
        public var reason: String?
        public var nextRunAt: Date?
        /// More than 1 when a concurrent change was detected and the decision re-made.
        public var attempts: Int
    }

    /// Pauses, resumes or cancels the entity's enrollments (all of them in the workspace, or only
    /// the one in `sequence`), each through the optimistic-locking loop.
    public func control(_ action: EnrollmentAction, entity: EntityRef, sequence name: String?, workspace: Workspace,
                        on db: PostgresConnection) async throws -> [ControlResult] {
        guard try await ContactStore().find(entity, workspace: workspace.id, on: db) != nil else {
            throw OutreachError.notFound("no contact \(entity) in workspace \(workspace.name)")
        }
        var sequenceID: Int64?
        if let name { sequenceID = try await SequenceService().require(name, workspace: workspace, on: db).id }
        let enrollments = try await store.list(for: entity, sequenceID: sequenceID, workspace: workspace.id, on: db)
        guard !enrollments.isEmpty else {
            throw OutreachError.notFound("\(entity) is not enrolled in \(name.map { "sequence '\($0)'" } ?? "any sequence")")
        }
        var results: [ControlResult] = []
        for listed in enrollments {
            let before = listed.enrollment
            var from = before.status
            let outcome = try await store.update(id: before.id, on: db) { current in
                from = current.status
                return Self.decision(action, for: current)
            }
            switch outcome {
            case .updated(let row, let attempts):
                results.append(ControlResult(enrollmentID: row.id, sequence: listed.sequence, from: from, status: row.status,
                                             outcome: .changed, nextRunAt: row.nextRunAt, attempts: attempts))
            case .left(let row, let reason, let attempts):
                let already = row.status == action.target
                results.append(ControlResult(enrollmentID: row.id, sequence: listed.sequence, from: row.status, status: row.status,
                                             outcome: already ? .already : .refused, reason: already ? nil : reason,
                                             nextRunAt: row.nextRunAt, attempts: attempts))
            case .missing:
                continue
            }
        }
        return results
    }

    /// The change `action` makes to an enrollment as it is now (SPEC §4 lifecycle):
    /// pause keeps `next_run_at` (the worker drops a claimed job of a paused enrollment); cancel
    /// clears it; resume re-arms it unless the current step's job is still queued.
    public static func decision(_ action: EnrollmentAction, for current: EnrollmentRecord) -> EnrollmentDecision {
        switch action.verdict(from: current.status) {
        case .already: return .leave("already \(current.status.rawValue)")
        case .refused(let reason): return .leave(reason)
        case .apply: break
        }
        switch action {
        case .pause: return .change(EnrollmentChange(status: .paused))
        case .cancel: return .change(EnrollmentChange(status: .cancelled, nextRun: .clear))
        case .resume: return .change(EnrollmentChange(status: .active, nextRun: .rearm))
        }
    }
}
