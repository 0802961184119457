import Foundation
import OutreachCore
import OutreachStore
import Postgres

/// `outreach consent grant|revoke`: changes consent for named entities or a filter, with history.
public struct ConsentService: Sendable {
    public init() {}

    public struct Report: Sendable, Equatable, Codable {
        public var action: ConsentAction
        public var channel: Channel
        public var count: Int
        public var entities: [String]
    }

    /// All selected contacts change in one transaction; a named entity that is not a contact is a
    /// `.notFound` and nothing changes.
    public func change(_ action: ConsentAction, channel: Channel, for selector: ContactSelector, workspace: Workspace,
                       source: String?, lawfulBasis: String?, actor: String, on db: PostgresConnection) async throws -> Report {
        if let source, source.isEmpty || source.count > 200 { throw OutreachError.badInput("--source must be 1 to 200 characters") }
        if let lawfulBasis, lawfulBasis.isEmpty || lawfulBasis.count > 200 {
            throw OutreachError.badInput("--lawful-basis must be 1 to 200 characters")
        }
        return try await db.transaction { tx in
            try await ContactStore().requireExisting(selector, workspace: workspace, on: tx)
            let changed = try await ConsentStore().record(action, channel: channel, for: selector, workspace: workspace.id,
                                                          source: source, lawfulBasis: lawfulBasis, actor: actor, on: tx)
            return Report(action: action, channel: channel, count: changed.count, entities: changed.map(\.description))
        }
    }
}
