import Foundation
import OutreachCore
import OutreachStore
import Postgres

/// `outreach send`: a one-off message through the same queue, and so the same gates and safety
/// checks, as sequence steps.
public struct SendService: Sendable {
    public init() {}

    public struct Receipt: Sendable, Equatable, Codable {
        public var jobID: Int64
        /// The execution's idempotency key (`send:<uuid>`).
        public var idempotencyKey: String
        public var entity: String
        public var channel: Channel
        public var template: String
        /// What the worker's checks are likely to stop (no consent, channel disabled); the job is
        /// queued anyway so that the outcome is recorded where operators look for it.
        public var warnings: [String]
    }

    /// Checks that the entity and the template exist, then enqueues a `send` job (which NOTIFYs
    /// the workers).
    public func send(to entity: EntityRef, channel: Channel, template: String, workspace: Workspace,
                     on db: PostgresConnection) async throws -> Receipt {
        guard try await ContactStore().find(entity, workspace: workspace.id, on: db) != nil else {
            throw OutreachError.notFound("no contact \(entity) in workspace \(workspace.name)")
        }
        guard try await TemplateStore().find(workspace: workspace.id, name: template, channel: channel, on: db) != nil else {
            throw OutreachError.notFound("no \(channel.rawValue) template named '\(template)' in workspace \(workspace.name)")
        }
        var warnings: [String] = []
        let consent = try await ConsentStore().current(for: entity, workspace: workspace.id, on: db).first { $0.channel == channel }
        if consent?.isGranted != true {
            warnings.append("\(entity) has no \(channel.rawValue) consent: the worker will record the send as blocked (no_consent)")
        }
        let config = try await ChannelConfigStore().list(workspace: workspace.id, on: db).first { $0.channel == channel }
        if config?.enabled != true {
            warnings.append("the \(channel.rawValue) channel is disabled: the worker will record the send as blocked (channel_disabled)")
        }
        let key = "send:" + UUID().uuidString.lowercased()
        let payload = SendJobPayload(entity: entity, channel: channel, template: template, key: key)
        let ids = try await JobQueue().enqueue(
            [NewJob(workspaceID: workspace.id, kind: .send, dedupeKey: nil, payload: try PostgresJSON(payload))], on: db)
        return Receipt(jobID: ids[0], idempotencyKey: key, entity: entity.description, channel: channel, template: template,
                       warnings: warnings)
    }
}
