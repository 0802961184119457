import Foundation
import Postgres

/// A claimed job: what to run and which attempt this is.
public struct Job: Sendable, Equatable {
    public enum Kind: String, Sendable { case step, send, noop }

    public var id: Int64
    public var workspaceID: UUID
    public var kind: Kind
    public var enrollmentID: Int64?
    public var stepPosition: Int?
    public var payload: PostgresJSON
    /// 1 on the first claim; finishing, retrying and releasing are conditional on it, so a
    /// worker whose lease expired cannot clobber the attempt that replaced it.
    public var attempt: Int
    public var maxAttempts: Int

    init(row: PostgresRow) throws {
        id = try row.decode("id")
        workspaceID = try row.decode("workspace_id")
        let kindName: String = try row.decode("kind")
        kind = Kind(rawValue: kindName) ?? .noop
        enrollmentID = try row.decode("enrollment_id")
        stepPosition = try row.decode("step_position")
        payload = try row.decode("payload")
        attempt = try row.decode("attempt")
        maxAttempts = try row.decode("max_attempts")
    }
}

/// A job to enqueue.
public struct NewJob: Sendable {
    public var workspaceID: UUID
    public var kind: Job.Kind
    public var dedupeKey: String?
    public var enrollmentID: Int64?
    public var stepPosition: Int?
    public var payload: PostgresJSON
    public var runAt: Date?

    public init(workspaceID: UUID, kind: Job.Kind, dedupeKey: String? = nil, enrollmentID: Int64? = nil,
                stepPosition: Int? = nil, payload: PostgresJSON = PostgresJSON(raw: "{}"), runAt: Date? = nil) {
        self.workspaceID = workspaceID
        self.kind = kind
        self.dedupeKey = dedupeKey
        self.enrollmentID = enrollmentID
        self.stepPosition = stepPosition
        self.payload = payload
        self.runAt = runAt
    }
}

/// Identifies one attempt at a job.
public struct JobLease: Sendable, Hashable {
    public var id: Int64
    public var attempt: Int

    public init(id: Int64, attempt: Int) {
        self.id = id
        self.attempt = attempt
    }
}

extension Job {
    public var lease: JobLease { JobLease(id: id, attempt: attempt) }
}
