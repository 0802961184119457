import Foundation
import OutreachCore

/// A row of `outreach_enrollments`, as read for an optimistic-locking update.
public struct EnrollmentRecord: Sendable, Equatable, Codable {
    public var id: Int64
    public var workspaceID: UUID
    public var sequenceID: Int64
    public var contactID: Int64
    public var entity: EntityRef
    public var status: EnrollmentStatus
    /// The next step to run (1-based); past the last step once completed.
    public var currentStep: Int
    /// When the current step is due; nil while its job is queued or the enrollment is not active.
    public var nextRunAt: Date?
    /// Bumped by every update; an update names the version it read.
    public var version: Int
    public var lastError: String?
    public var completedAt: Date?
}

/// An update to apply to an enrollment read at a given version (see ``EnrollmentStore``).
public struct EnrollmentChange: Sendable, Equatable {
    /// What happens to `next_run_at`.
    public enum NextRun: Sendable, Equatable {
        /// Leave it as it is.
        case keep
        /// NULL: nothing for the scheduler to pick up.
        case clear
        /// A fixed time.
        case at(Date)
        /// `now()` on the server plus this many seconds (the next step's delay).
        case after(seconds: Double)
        /// Resume: NULL when the current step's job (`step:<id>:<step>`) is still in the queue (it
        /// will run once the enrollment is active), else the stored time or now, so the scheduler
        /// re-enqueues the step.
        case rearm
    }

    /// What happens to `last_error`.
    public enum LastError: Sendable, Equatable {
        case keep
        case clear
        case set(String)
    }

    public var status: EnrollmentStatus
    /// The new current step; nil keeps it.
    public var currentStep: Int?
    public var nextRun: NextRun
    public var lastError: LastError

    public init(status: EnrollmentStatus, currentStep: Int? = nil, nextRun: NextRun = .keep, lastError: LastError = .keep) {
        self.status = status
        self.currentStep = currentStep
        self.nextRun = nextRun
        self.lastError = lastError
    }
}

/// What an optimistic-update decision function returns for the enrollment as it currently is.
public enum EnrollmentDecision: Sendable, Equatable {
    /// Write this change (conditional on the version that was read).
    case change(EnrollmentChange)
    /// Write nothing, for this reason (already in the wanted state, transition not allowed, …).
    case leave(String)
}

/// How an optimistic update ended.
public enum EnrollmentUpdateOutcome: Sendable, Equatable {
    /// The change was written; the row as it is now. `attempts` > 1 means a race was lost and re-decided.
    case updated(EnrollmentRecord, attempts: Int)
    /// The decision was to leave it; the row as last read.
    case left(EnrollmentRecord, reason: String, attempts: Int)
    /// The enrollment does not exist (any more).
    case missing
}
