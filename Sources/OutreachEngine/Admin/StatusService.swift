import Foundation
import OutreachCore
import OutreachStore
import Postgres

/// `outreach status`: one entity's contact data, consent, enrollments, queued jobs and the
/// timeline of its executions.
public struct StatusService: Sendable {
    public init() {}

    /// Consent on one channel; `none` when never granted or revoked.
    public struct ChannelConsent: Sendable, Equatable, Codable {
        public var channel: Channel
        public var status: String
        public var source: String?
        public var lawfulBasis: String?
        public var since: Date?
    }

    public struct Enrollment: Sendable, Equatable, Codable {
        public var id: Int64
        public var sequence: String
        public var status: EnrollmentStatus
        public var currentStep: Int
        public var steps: Int
        public var nextRunAt: Date?
        public var lastError: String?
        public var enrolledAt: Date
    }

    public struct Report: Sendable, Equatable, Codable {
        public var workspace: String
        public var contact: StoredContact
        public var consent: [ChannelConsent]
        public var enrollments: [Enrollment]
        public var jobs: [PendingJob]
        public var timeline: [TimelineEntry]
    }

    public func status(of entity: EntityRef, workspace: Workspace, on db: PostgresConnection) async throws -> Report {
        guard let contact = try await ContactStore().find(entity, workspace: workspace.id, on: db) else {
            throw OutreachError.notFound("no contact \(entity) in workspace \(workspace.name)")
        }
        let stored = try await ConsentStore().current(for: entity, workspace: workspace.id, on: db)
        let consent = Channel.allCases.map { channel in
            guard let row = stored.first(where: { $0.channel == channel }) else {
                return ChannelConsent(channel: channel, status: "none")
            }
            return ChannelConsent(channel: channel, status: row.status, source: row.source, lawfulBasis: row.lawfulBasis,
                                  since: row.isGranted ? row.grantedAt : row.revokedAt)
        }
        let enrollments = try await EnrollmentStore().list(for: entity, workspace: workspace.id, on: db).map {
            Enrollment(id: $0.enrollment.id, sequence: $0.sequence, status: $0.enrollment.status,
                       currentStep: $0.enrollment.currentStep, steps: $0.stepCount, nextRunAt: $0.enrollment.nextRunAt,
                       lastError: $0.enrollment.lastError, enrolledAt: $0.createdAt)
        }
        let jobs = try await TimelineStore().pendingJobs(for: entity, workspace: workspace.id, on: db)
        let timeline = try await TimelineStore().timeline(for: entity, workspace: workspace.id, on: db)
        return Report(workspace: workspace.name, contact: contact, consent: consent, enrollments: enrollments, jobs: jobs,
                      timeline: timeline)
    }
}
