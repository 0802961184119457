import OutreachCore
import OutreachStore
import Postgres

/// Saving and checking templates: validated against the workspace's known variables first, so
/// nothing invalid is ever written.
public struct TemplateService: Sendable {
    let store = TemplateStore()

    public init() {}

    /// The variables `draft` uses, or a `.badInput` naming the problem and its position.
    // Not inlined into callers: Swift 6.3's optimizer crashed (LLVM coroutine splitting) on
    // release builds of the CLI commands that call this.
    @inline(never)
    public func check(_ draft: TemplateDraft, workspace: Workspace, on db: PostgresConnection) async throws -> [String] {
        let attributes = try await store.attributeKeys(workspace: workspace.id, on: db)
        return try draft.validate(knownVariables: ContactFields.known(withAttributes: attributes))
    }

    /// Validates and stores (or replaces) the template.
    public func add(_ draft: TemplateDraft, workspace: Workspace, on db: PostgresConnection) async throws -> StoredTemplate {
        let variables = try await check(draft, workspace: workspace, on: db)
        return try await store.save(workspace: workspace.id, name: draft.name, channel: draft.channel, subject: draft.subject,
                                    body: draft.body, textBody: draft.textBody, variables: variables, on: db)
    }

    public func list(workspace: Workspace, on db: PostgresConnection) async throws -> [StoredTemplate] {
        try await store.list(workspace: workspace.id, on: db)
    }
}
