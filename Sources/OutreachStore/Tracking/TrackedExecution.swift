import Foundation
import OutreachCore
import Postgres

/// The parts of an `outreach_executions` row that delivery tracking reads.
public struct TrackedExecution: Sendable, Equatable {
    public var id: Int64
    public var workspaceID: UUID
    public var status: ExecutionStatus
    public var channel: Channel
    public var entityType: String
    public var entityID: String
    public var contactID: Int64?
    public var enrollmentID: Int64?
    /// The contact's current email address, if the execution is linked to a contact.
    public var contactEmail: String?

    static let columns = """
        e.id, e.workspace_id, e.status, e.channel, e.entity_type, e.entity_id, e.contact_id, e.enrollment_id,
        c.email AS contact_email
        """

    init(row: PostgresRow) throws {
        id = try row.decode("id")
        workspaceID = try row.decode("workspace_id")
        let rawStatus: String = try row.decode("status")
        guard let status = ExecutionStatus(rawValue: rawStatus) else {
            throw PostgresError(code: .decoding, message: "unknown execution status '\(rawStatus)'")
        }
        self.status = status
        let rawChannel: String = try row.decode("channel")
        guard let channel = Channel(rawValue: rawChannel) else {
            throw PostgresError(code: .decoding, message: "unknown channel '\(rawChannel)'")
        }
        self.channel = channel
        entityType = try row.decode("entity_type")
        entityID = try row.decode("entity_id")
        contactID = try row.decode("contact_id")
        enrollmentID = try row.decode("enrollment_id")
        contactEmail = try row.decode("contact_email")
    }
}
