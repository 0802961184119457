import Foundation
import OutreachCore
import OutreachStore
import Postgres

/// `outreach sequence create|list`.
public struct SequenceService: Sendable {
    let store = SequenceStore()

    public init() {}

    /// Validates `definition` (delays, window, every template exists for its channel) and stores
    /// it with its steps in one transaction. A taken name is a `.conflict`.
    public func create(_ definition: SequenceDefinition, workspace: Workspace, on db: PostgresConnection) async throws -> SequenceRef {
        try await db.transaction { tx in
            let templates = try await store.templateKeys(workspace: workspace.id, on: tx)
            try definition.validate { name, channel in templates.contains(TemplateKey(name: name, channel: channel)) }
            if try await store.find(name: definition.name, workspace: workspace.id, on: tx) != nil {
                throw OutreachError(.conflict, "sequence '\(definition.name)' already exists in workspace \(workspace.name)")
            }
            return try await store.create(definition, workspace: workspace.id, on: tx)
        }
    }

    public func list(workspace: Workspace, on db: PostgresConnection) async throws -> [SequenceSummary] {
        try await store.list(workspace: workspace.id, on: db)
    }

    /// The sequence named `name`, or `.notFound`.
    public func require(_ name: String, workspace: Workspace, on db: PostgresConnection) async throws -> SequenceRef {
        guard let sequence = try await store.find(name: name, workspace: workspace.id, on: db) else {
            throw OutreachError.notFound("no sequence named '\(name)' in workspace \(workspace.name)")
        }
        return sequence
    }
}
