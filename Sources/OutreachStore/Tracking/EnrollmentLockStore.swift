import Foundation
import OutreachCore
import Postgres

/// Optimistic-locking enrollment updates (SPEC §4): every change is
/// `… WHERE id = $1 AND version = $2`; a lost race is re-read and re-decided by the caller.
public struct EnrollmentLockStore: Sendable {
    /// An enrollment's state as read: what the next conditional update is based on.
    public struct Snapshot: Sendable, Equatable {
        public var id: Int64
        public var status: EnrollmentStatus
        public var version: Int
    }

    static let selectOpenForContact = """
        SELECT id, status, version FROM outreach_enrollments
        WHERE contact_id = $1 AND workspace_id = $2 AND status IN ('active', 'paused')
        ORDER BY id
        """
    static let selectOne = "SELECT id, status, version FROM outreach_enrollments WHERE id = $1"
    /// Leaving `active`/`paused` clears `next_run_at` so the scheduler never picks it up again.
    static let updateStatus = """
        UPDATE outreach_enrollments SET status = $3, version = version + 1,
            next_run_at = CASE WHEN $3::text IN ('active') THEN next_run_at ELSE NULL END
        WHERE id = $1 AND version = $2
        """

    public init() {}

    /// The contact's active and paused enrollments in a workspace.
    public func openEnrollments(contact: Int64, workspace: UUID, on db: PostgresConnection) async throws -> [Snapshot] {
        try await db.query(Self.selectOpenForContact, [contact, workspace]).map(Self.decode)
    }

    /// Re-reads one enrollment (after a lost race); nil if it was deleted.
    public func read(_ id: Int64, on db: PostgresConnection) async throws -> Snapshot? {
        try await db.query(Self.selectOne, [id]).first.map(Self.decode)
    }

    /// Moves the enrollment to `status` if it is still at `snapshot.version`; false when another
    /// writer changed it first.
    public func update(_ snapshot: Snapshot, to status: EnrollmentStatus, on db: PostgresConnection) async throws -> Bool {
        try await db.execute(Self.updateStatus, [snapshot.id, snapshot.version, status.rawValue]) == 1
    }

    static func decode(_ row: PostgresRow) throws -> Snapshot {
        let raw: String = try row.decode("status")
        guard let status = EnrollmentStatus(rawValue: raw) else {
            throw PostgresError(code: .decoding, message: "unknown enrollment status '\(raw)'")
        }
        return Snapshot(id: try row.decode("id"), status: status, version: try row.decode("version"))
    }
}
